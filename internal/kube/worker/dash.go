package worker

import (
	"context"
	"errors"

	"golang.org/x/sync/errgroup"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/devstack/devstack/internal/kube/wire"
)

// Check connects to the cluster and fails with ErrNoDeployment when the
// namespace holds nothing of the project.
func Check(ctx context.Context, req wire.Request) error {
	c, err := Connect(ctx, req.Cluster, req.ProjectName)
	if err != nil {
		return err
	}
	return c.exists(ctx, req.ProjectName)
}

// Dash sends the project's objects for the dashboard until ctx ends; it
// fails when the cluster stops answering.
func Dash(ctx context.Context, req wire.Request, send func(wire.Change)) error {
	c, err := Connect(ctx, req.Cluster, req.ProjectName)
	if err != nil {
		return err
	}
	return c.Dash(ctx, req.ProjectName, send)
}

// Dash follows each kind the dashboard shows with one list and one watch
// from its version: the project's Deployments, StatefulSets, DaemonSets,
// Jobs, Services and Pods (label-selected) and the namespace's Events
// (which carry no labels). Each list goes out whole, each watch event as
// it comes. send is called from one goroutine per kind.
func (c *Cluster) Dash(ctx context.Context, project string, send func(wire.Change)) error {
	g, gctx := errgroup.WithContext(ctx)
	for _, w := range c.watchedKinds() {
		o := metav1.ListOptions{LabelSelector: projectSelector(project)}
		if w.kind == wire.KindEvent {
			o = metav1.ListOptions{}
		}
		g.Go(func() error { return c.follow(gctx, w, o, send) })
	}
	err := g.Wait()
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// watched is one kind the dashboard follows.
type watched struct {
	kind  string
	list  func(ctx context.Context, o metav1.ListOptions) ([]runtime.Object, string, error)
	watch func(ctx context.Context, o metav1.ListOptions) (watch.Interface, error)
}

func (c *Cluster) watchedKinds() []watched {
	cl, ns := c.Client, c.Namespace
	return []watched{
		{wire.KindDeployment, lister(cl.AppsV1().Deployments(ns).List, func(l *appsv1.DeploymentList) ([]runtime.Object, string) {
			return objects(l.Items), l.ResourceVersion
		}), cl.AppsV1().Deployments(ns).Watch},
		{wire.KindStatefulSet, lister(cl.AppsV1().StatefulSets(ns).List, func(l *appsv1.StatefulSetList) ([]runtime.Object, string) {
			return objects(l.Items), l.ResourceVersion
		}), cl.AppsV1().StatefulSets(ns).Watch},
		{wire.KindDaemonSet, lister(cl.AppsV1().DaemonSets(ns).List, func(l *appsv1.DaemonSetList) ([]runtime.Object, string) {
			return objects(l.Items), l.ResourceVersion
		}), cl.AppsV1().DaemonSets(ns).Watch},
		{wire.KindJob, lister(cl.BatchV1().Jobs(ns).List, func(l *batchv1.JobList) ([]runtime.Object, string) {
			return objects(l.Items), l.ResourceVersion
		}), cl.BatchV1().Jobs(ns).Watch},
		{wire.KindService, lister(cl.CoreV1().Services(ns).List, func(l *corev1.ServiceList) ([]runtime.Object, string) {
			return objects(l.Items), l.ResourceVersion
		}), cl.CoreV1().Services(ns).Watch},
		{wire.KindPod, lister(cl.CoreV1().Pods(ns).List, func(l *corev1.PodList) ([]runtime.Object, string) {
			return objects(l.Items), l.ResourceVersion
		}), cl.CoreV1().Pods(ns).Watch},
		{wire.KindEvent, lister(cl.CoreV1().Events(ns).List, func(l *corev1.EventList) ([]runtime.Object, string) {
			return objects(l.Items), l.ResourceVersion
		}), cl.CoreV1().Events(ns).Watch},
	}
}

func lister[L any](list func(context.Context, metav1.ListOptions) (L, error), items func(L) ([]runtime.Object, string)) func(context.Context, metav1.ListOptions) ([]runtime.Object, string, error) {
	return func(ctx context.Context, o metav1.ListOptions) ([]runtime.Object, string, error) {
		l, err := list(ctx, o)
		if err != nil {
			return nil, "", err
		}
		objs, rv := items(l)
		return objs, rv, nil
	}
}

// objects are pointers to a list's items, as runtime.Objects.
func objects[T any, PT interface {
	*T
	runtime.Object
}](list []T) []runtime.Object {
	out := make([]runtime.Object, len(list))
	for i := range list {
		out[i] = PT(&list[i])
	}
	return out
}

// errRelist ends a watch whose version expired: the kind is listed again.
var errRelist = errors.New("relist")

// follow lists the kind and sends it whole, then watches it from the
// list's version and sends each change, until ctx ends. A watch the
// server ends (it does after a while) is resumed from the last version
// seen; one whose version expired is replaced by a new list.
func (c *Cluster) follow(ctx context.Context, w watched, o metav1.ListOptions, send func(wire.Change)) error {
	for ctx.Err() == nil {
		objs, rv, err := w.list(ctx, o)
		if err != nil {
			return c.classify(err, "listing "+w.kind+"s")
		}
		send(ToChange(w.kind, wire.ChangeList, objs))
		for ctx.Err() == nil {
			if rv, err = c.watchFrom(ctx, w, o, rv, send); errors.Is(err, errRelist) {
				break
			} else if err != nil {
				return err
			}
		}
	}
	return nil
}

// watchFrom watches the kind from version rv until the watch ends; it
// returns the last version seen.
func (c *Cluster) watchFrom(ctx context.Context, w watched, o metav1.ListOptions, rv string, send func(wire.Change)) (string, error) {
	o.ResourceVersion, o.AllowWatchBookmarks = rv, true
	wi, err := w.watch(ctx, o)
	if apierrors.IsResourceExpired(err) || apierrors.IsGone(err) {
		return rv, errRelist
	}
	if err != nil {
		return rv, c.classify(err, "watching "+w.kind+"s")
	}
	defer wi.Stop()
	for ev := range events(ctx, wi) {
		if m, ok := ev.Object.(metav1.Object); ok && ev.Type != watch.Error {
			rv = m.GetResourceVersion()
		}
		switch ev.Type {
		case watch.Added, watch.Modified:
			send(ToChange(w.kind, wire.ChangeSet, []runtime.Object{ev.Object}))
		case watch.Deleted:
			send(ToChange(w.kind, wire.ChangeDelete, []runtime.Object{ev.Object}))
		case watch.Error:
			return rv, errRelist
		}
	}
	return rv, nil
}
