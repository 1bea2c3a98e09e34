package worker

import (
	"context"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"

	"github.com/devstack/devstack/internal/kube/mapping"
)

// kind is what the worker does with the objects of one kind.
type kind struct {
	name  string
	patch func(ctx context.Context, c kubernetes.Interface, ns, name string, data []byte, o metav1.PatchOptions) error
	list  func(ctx context.Context, c kubernetes.Interface, ns string, o metav1.ListOptions) ([]string, error)
	// hashes lists the objects' applied hashes by name.
	hashes func(ctx context.Context, c kubernetes.Interface, ns string, o metav1.ListOptions) (map[string]string, error)
	client func(c kubernetes.Interface, ns string) api
	del    func(ctx context.Context, c kubernetes.Interface, ns, name string, o metav1.DeleteOptions) error
}

// kinds in the order deploy rm removes them: the workloads (and so the
// pods) first, what they use last.
var kinds = []kind{
	typed("Deployment", func(c kubernetes.Interface, ns string) api {
		return wrap(c.AppsV1().Deployments(ns), func(l *appsv1.DeploymentList) []metav1.Object { return items(l.Items) })
	}),
	typed("StatefulSet", func(c kubernetes.Interface, ns string) api {
		return wrap(c.AppsV1().StatefulSets(ns), func(l *appsv1.StatefulSetList) []metav1.Object { return items(l.Items) })
	}),
	typed("DaemonSet", func(c kubernetes.Interface, ns string) api {
		return wrap(c.AppsV1().DaemonSets(ns), func(l *appsv1.DaemonSetList) []metav1.Object { return items(l.Items) })
	}),
	typed("Job", func(c kubernetes.Interface, ns string) api {
		return wrap(c.BatchV1().Jobs(ns), func(l *batchv1.JobList) []metav1.Object { return items(l.Items) })
	}),
	typed("Service", func(c kubernetes.Interface, ns string) api {
		return wrap(c.CoreV1().Services(ns), func(l *corev1.ServiceList) []metav1.Object { return items(l.Items) })
	}),
	typed("NetworkPolicy", func(c kubernetes.Interface, ns string) api {
		return wrap(c.NetworkingV1().NetworkPolicies(ns), func(l *networkingv1.NetworkPolicyList) []metav1.Object { return items(l.Items) })
	}),
	typed("ConfigMap", func(c kubernetes.Interface, ns string) api {
		return wrap(c.CoreV1().ConfigMaps(ns), func(l *corev1.ConfigMapList) []metav1.Object { return items(l.Items) })
	}),
	typed("Secret", func(c kubernetes.Interface, ns string) api {
		return wrap(c.CoreV1().Secrets(ns), func(l *corev1.SecretList) []metav1.Object { return items(l.Items) })
	}),
	typed("PersistentVolumeClaim", func(c kubernetes.Interface, ns string) api {
		return wrap(c.CoreV1().PersistentVolumeClaims(ns), func(l *corev1.PersistentVolumeClaimList) []metav1.Object { return items(l.Items) })
	}),
}

func kindOf(name string) kind {
	for _, k := range kinds {
		if k.name == name {
			return k
		}
	}
	panic("worker: no kind " + name)
}

// api is the part of a typed client the worker uses.
type api interface {
	Get(ctx context.Context, name string) (metav1.Object, error)
	Patch(ctx context.Context, name string, data []byte, o metav1.PatchOptions) error
	List(ctx context.Context, o metav1.ListOptions) ([]metav1.Object, error)
	Delete(ctx context.Context, name string, o metav1.DeleteOptions) error
	Watch(ctx context.Context, o metav1.ListOptions) (watch.Interface, error)
}

// typedClient is a client-go typed client of objects T listed as L.
type typedClient[T metav1.Object, L any] interface {
	Get(ctx context.Context, name string, o metav1.GetOptions) (T, error)
	Patch(ctx context.Context, name string, pt types.PatchType, data []byte, o metav1.PatchOptions, sub ...string) (T, error)
	List(ctx context.Context, o metav1.ListOptions) (L, error)
	Delete(ctx context.Context, name string, o metav1.DeleteOptions) error
	Watch(ctx context.Context, o metav1.ListOptions) (watch.Interface, error)
}

type adapter[T metav1.Object, L any] struct {
	c     typedClient[T, L]
	items func(L) []metav1.Object
}

func wrap[T metav1.Object, L any](c typedClient[T, L], items func(L) []metav1.Object) api {
	return adapter[T, L]{c: c, items: items}
}

func (a adapter[T, L]) Get(ctx context.Context, name string) (metav1.Object, error) {
	return a.c.Get(ctx, name, metav1.GetOptions{})
}

func (a adapter[T, L]) Patch(ctx context.Context, name string, data []byte, o metav1.PatchOptions) error {
	_, err := a.c.Patch(ctx, name, types.ApplyPatchType, data, o)
	return err
}

func (a adapter[T, L]) List(ctx context.Context, o metav1.ListOptions) ([]metav1.Object, error) {
	l, err := a.c.List(ctx, o)
	if err != nil {
		return nil, err
	}
	return a.items(l), nil
}

func (a adapter[T, L]) Delete(ctx context.Context, name string, o metav1.DeleteOptions) error {
	return a.c.Delete(ctx, name, o)
}

func (a adapter[T, L]) Watch(ctx context.Context, o metav1.ListOptions) (watch.Interface, error) {
	return a.c.Watch(ctx, o)
}

// items are pointers to a list's items, as metav1.Objects.
func items[T any, PT interface {
	*T
	metav1.Object
}](list []T) []metav1.Object {
	out := make([]metav1.Object, len(list))
	for i := range list {
		out[i] = PT(&list[i])
	}
	return out
}

func typed(name string, client func(c kubernetes.Interface, ns string) api) kind {
	return kind{
		name:   name,
		client: client,
		patch: func(ctx context.Context, c kubernetes.Interface, ns, n string, data []byte, o metav1.PatchOptions) error {
			return client(c, ns).Patch(ctx, n, data, o)
		},
		list: func(ctx context.Context, c kubernetes.Interface, ns string, o metav1.ListOptions) ([]string, error) {
			objs, err := client(c, ns).List(ctx, o)
			var names []string
			for _, obj := range objs {
				names = append(names, obj.GetName())
			}
			return names, err
		},
		hashes: func(ctx context.Context, c kubernetes.Interface, ns string, o metav1.ListOptions) (map[string]string, error) {
			objs, err := client(c, ns).List(ctx, o)
			out := map[string]string{}
			for _, obj := range objs {
				out[obj.GetName()] = hashOf(obj.GetAnnotations())
			}
			return out, err
		},
		del: func(ctx context.Context, c kubernetes.Interface, ns, n string, o metav1.DeleteOptions) error {
			return client(c, ns).Delete(ctx, n, o)
		},
	}
}

// hashOf reads the applied hash from annotations.
func hashOf(a map[string]string) string { return a[mapping.AnnotationHash] }

func nsObject(name, project string) *corev1.Namespace {
	return &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{
		mapping.LabelManagedBy: mapping.ManagedBy, mapping.LabelProject: project,
	}}}
}
