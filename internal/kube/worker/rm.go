package worker

import (
	"context"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/utils/ptr"

	"github.com/devstack/devstack/internal/kube/mapping"
	"github.com/devstack/devstack/internal/kube/wire"
	"github.com/devstack/devstack/internal/progress"
)

// Remove connects to the request's cluster and removes the project (Rm).
func Remove(ctx context.Context, req wire.Request, out progress.Progress) error {
	c, err := Connect(ctx, req.Cluster, req.ProjectName)
	if err != nil {
		return err
	}
	return c.Rm(ctx, req.ProjectName, req.Deploy.Volumes, out)
}

// Rm removes the project's objects: the workloads first, waiting until
// their pods are gone, then Services, policies, ConfigMaps and Secrets.
// With volumes its PersistentVolumeClaims go too, and the namespace when
// devstack made it and nothing else is left in it; rm -v after an rm
// removes the claims the rm kept.
func (c *Cluster) Rm(ctx context.Context, project string, volumes bool, out progress.Progress) error {
	of := kinds[:5] // workloads and Services
	if volumes {
		of = kinds // after a deploy rm, its claims may be all that is left
	}
	if err := c.existsOf(ctx, project, of); err != nil {
		return err
	}
	sel := metav1.ListOptions{LabelSelector: projectSelector(project)}
	for _, k := range kinds {
		if k.name == "PersistentVolumeClaim" && !volumes {
			continue
		}
		names, err := k.list(ctx, c.Client, c.Namespace, sel)
		if err != nil {
			return c.classify(err, "listing "+k.name+"s")
		}
		for _, n := range names { // all of a kind at once, then wait for each
			err := k.del(ctx, c.Client, c.Namespace, n, metav1.DeleteOptions{PropagationPolicy: ptr.To(metav1.DeletePropagationForeground)})
			if err != nil && !apierrors.IsNotFound(err) {
				return c.classify(err, "deleting "+k.name+"/"+n)
			}
		}
		for _, n := range names {
			if err := c.waitGone(ctx, k, n); err != nil {
				return err
			}
			progress.Status(out, progress.KindObject, k.name+"/"+n, "Removed")
		}
	}
	if err := c.waitNoPods(ctx, project); err != nil {
		return err
	}
	if volumes {
		return c.removeNamespace(ctx, project, out)
	}
	return nil
}

// waitNoPods waits until no pod of the project is left, watching them.
func (c *Cluster) waitNoPods(ctx context.Context, project string) error {
	pods := c.Client.CoreV1().Pods(c.Namespace)
	opts := metav1.ListOptions{LabelSelector: projectSelector(project)}
	for {
		list, err := pods.List(ctx, opts)
		if err != nil {
			return c.classify(err, "listing pods")
		}
		if len(list.Items) == 0 {
			return nil
		}
		w := opts
		w.ResourceVersion = list.ResourceVersion
		wi, err := pods.Watch(ctx, w)
		if err != nil {
			return c.classify(err, "watching pods")
		}
		for ev := range events(ctx, wi) {
			if ev.Type == watch.Deleted {
				break // list again
			}
		}
		wi.Stop()
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// removeNamespace deletes the namespace when devstack made it for this
// project and it holds no pod any more.
func (c *Cluster) removeNamespace(ctx context.Context, project string, out progress.Progress) error {
	ns, err := c.Client.CoreV1().Namespaces().Get(ctx, c.Namespace, metav1.GetOptions{})
	if err != nil {
		return nil // may not read namespaces: leave it
	}
	if ns.Labels[mapping.LabelManagedBy] != mapping.ManagedBy || ns.Labels[mapping.LabelProject] != project {
		return nil
	}
	left, err := c.Client.CoreV1().Pods(c.Namespace).List(ctx, metav1.ListOptions{Limit: 1})
	if err != nil || len(left.Items) > 0 {
		return nil
	}
	err = c.Client.CoreV1().Namespaces().Delete(ctx, c.Namespace, metav1.DeleteOptions{PropagationPolicy: ptr.To(metav1.DeletePropagationForeground)})
	if err != nil && !apierrors.IsNotFound(err) {
		return c.classify(err, "deleting namespace "+c.Namespace)
	}
	progress.Status(out, progress.KindObject, "Namespace/"+c.Namespace, "Removed")
	return nil
}
