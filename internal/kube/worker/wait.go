package worker

import (
	"context"
	"errors"

	"golang.org/x/sync/errgroup"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/devstack/devstack/internal/kube/mapping"
	"github.com/devstack/devstack/internal/progress"
)

// errDone ends a pod watch once its workload is ready.
var errDone = errors.New("ready")

// waitLevel waits until every workload of the level is ready, watching
// each and its pods; a pod that will not start fails the wait at once.
func (c *Cluster) waitLevel(ctx context.Context, level []mapping.Workload, out progress.Progress) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, w := range level {
		g.Go(func() error { return c.waitWorkload(ctx, w, out) })
	}
	return g.Wait()
}

func (c *Cluster) waitWorkload(ctx context.Context, w mapping.Workload, out progress.Progress) error {
	k := kindOf(w.Object.GetObjectKind().GroupVersionKind().Kind)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		if err := c.watchUntil(gctx, k, w.Object.GetName(), func(obj runtime.Object) (bool, error) {
			ok, why, err := ready(obj)
			if !ok && err == nil {
				out.Event(progress.Event{Kind: progress.KindService, Name: w.Service, Status: "Waiting", Detail: why, Update: true})
			}
			return ok, err
		}); err != nil {
			return err
		}
		progress.Status(out, progress.KindService, w.Service, "Ready")
		return errDone
	})
	g.Go(func() error { return c.watchPods(gctx, w) })
	if err := g.Wait(); !errors.Is(err, errDone) {
		if err != nil && ctx.Err() == nil {
			return errorf("service %s: %w", w.Service, err)
		}
		return err
	}
	return nil
}

// watchUntil gets the object and watches it until done says so.
func (c *Cluster) watchUntil(ctx context.Context, k kind, name string, done func(runtime.Object) (bool, error)) error {
	cl := k.client(c.Client, c.Namespace)
	for {
		obj, err := cl.Get(ctx, name)
		if err != nil {
			return c.classify(err, "reading "+k.name+"/"+name)
		}
		if ok, err := done(obj.(runtime.Object)); ok || err != nil {
			return err
		}
		wi, err := cl.Watch(ctx, metav1.ListOptions{FieldSelector: fields.OneTermEqualSelector("metadata.name", name).String(), ResourceVersion: obj.GetResourceVersion()})
		if err != nil {
			return c.classify(err, "watching "+k.name+"/"+name)
		}
		for ev := range events(ctx, wi) {
			if ev.Type == watch.Error {
				break
			}
			if o, ok := ev.Object.(metav1.Object); !ok || o.GetName() != name {
				continue
			}
			if ok, err := done(ev.Object); ok || err != nil {
				wi.Stop()
				return err
			}
		}
		wi.Stop()
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// watchPods watches the workload's pods and fails at the first that will
// not start on its own.
func (c *Cluster) watchPods(ctx context.Context, w mapping.Workload) error {
	l := w.Object.GetLabels()
	sel := labels.SelectorFromSet(labels.Set{mapping.LabelProject: l[mapping.LabelProject], mapping.LabelService: l[mapping.LabelService]}).String()
	pods := c.Client.CoreV1().Pods(c.Namespace)
	for {
		list, err := pods.List(ctx, metav1.ListOptions{LabelSelector: sel})
		if err != nil {
			return c.classify(err, "listing pods")
		}
		for i := range list.Items {
			if err := podProblem(&list.Items[i]); err != nil {
				return err
			}
		}
		wi, err := pods.Watch(ctx, metav1.ListOptions{LabelSelector: sel, ResourceVersion: list.ResourceVersion})
		if err != nil {
			return c.classify(err, "watching pods")
		}
		for ev := range events(ctx, wi) {
			if p, ok := ev.Object.(*corev1.Pod); ok && ev.Type != watch.Deleted && p.Labels[mapping.LabelService] == l[mapping.LabelService] {
				if err := podProblem(p); err != nil {
					wi.Stop()
					return err
				}
			}
		}
		wi.Stop()
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// events yields a watch's events until it ends or ctx does (a watch's
// channel need not close when its context ends).
func events(ctx context.Context, wi watch.Interface) func(yield func(watch.Event) bool) {
	return func(yield func(watch.Event) bool) {
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-wi.ResultChan():
				if !ok || !yield(ev) {
					return
				}
			}
		}
	}
}
