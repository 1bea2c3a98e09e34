package worker

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/utils/ptr"

	"github.com/devstack/devstack/internal/kube/mapping"
	"github.com/devstack/devstack/internal/kube/wire"
	"github.com/devstack/devstack/internal/progress"
)

// Deploy connects to the request's cluster and applies r there (Apply).
func Deploy(ctx context.Context, req wire.Request, r mapping.Result, out progress.Progress) error {
	c, err := Connect(ctx, req.Cluster, req.ProjectName)
	if err != nil {
		return err
	}
	return c.Apply(ctx, req.ProjectName, r, req.Deploy, out)
}

// Apply applies the mapped project: the namespace when missing, the
// ConfigMaps, Secrets, claims, policies and Services, then the workloads
// level by level, each level waited for (ready; a Job complete) before
// the next. Unchanged objects (same applied hash) are not sent again.
// With Detach the last level is not waited for; with Prune the project's
// objects that are no longer in it are deleted. ConfigMaps and Secrets of
// the project that nothing uses any more (an earlier content) are deleted
// after a whole deploy either way.
func (c *Cluster) Apply(ctx context.Context, project string, r mapping.Result, o wire.DeployOptions, out progress.Progress) error {
	if o.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Timeout)
		defer cancel()
	}
	if _, err := c.ensureNamespace(ctx, project); err != nil {
		return err
	}
	observed, err := c.observe(ctx, project)
	if err != nil {
		return err
	}
	workloads := map[mapping.Object]bool{}
	for _, l := range r.Levels {
		for _, w := range l {
			workloads[w.Object] = true
		}
	}
	for _, obj := range r.Objects {
		if !workloads[obj] {
			if err := c.applyObject(ctx, obj, observed, out); err != nil {
				return err
			}
		}
	}
	for i, level := range r.Levels {
		for _, w := range level {
			if err := c.applyObject(ctx, w.Object, observed, out); err != nil {
				return err
			}
		}
		if o.Detach && i == len(r.Levels)-1 {
			break
		}
		if err := c.waitLevel(ctx, level, out); err != nil {
			return err
		}
	}
	if o.Partial {
		return nil
	}
	return c.removeStale(ctx, project, r, o.Prune, out)
}

// observe lists the applied hashes of the project's objects, one list per
// kind, by KIND/NAME.
func (c *Cluster) observe(ctx context.Context, project string) (map[string]string, error) {
	out := map[string]string{}
	for _, k := range kinds {
		hashes, err := k.hashes(ctx, c.Client, c.Namespace, metav1.ListOptions{LabelSelector: projectSelector(project)})
		if err != nil {
			return nil, c.classify(err, "listing "+k.name+"s")
		}
		for n, h := range hashes {
			out[k.name+"/"+n] = h
		}
	}
	return out, nil
}

// applyObject server-side applies obj unless the project's objects
// (observed) have it with the same applied hash. A changed Job (whose pod
// template cannot change) is deleted and made again.
func (c *Cluster) applyObject(ctx context.Context, obj mapping.Object, observed map[string]string, out progress.Progress) error {
	k := kindOf(obj.GetObjectKind().GroupVersionKind().Kind)
	id := k.name + "/" + obj.GetName()
	data, sum, err := appliedJSON(obj, c.Namespace)
	if err != nil {
		return err
	}
	have, exists := observed[id]
	if exists && have == sum {
		progress.Status(out, progress.KindObject, id, "Unchanged")
		return nil
	}
	if exists && k.name == "Job" {
		if err := c.deleteAndWait(ctx, k, obj.GetName()); err != nil {
			return err
		}
		exists = false
	}
	err = k.patch(ctx, c.Client, c.Namespace, obj.GetName(), data, metav1.PatchOptions{FieldManager: FieldManager, Force: ptr.To(true)})
	if err != nil {
		return c.classify(err, "applying "+id)
	}
	status := "Created"
	if exists {
		status = "Updated"
	}
	progress.Status(out, progress.KindObject, id, status)
	return nil
}

// appliedJSON is what devstack applies for obj: its JSON in namespace ns
// with the hash of that JSON as an annotation, and the hash.
func appliedJSON(obj mapping.Object, ns string) ([]byte, string, error) {
	obj.SetNamespace(ns)
	b, err := mapping.Clean(obj)
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(b)
	h := hex.EncodeToString(sum[:16])
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, "", err
	}
	meta := m["metadata"].(map[string]any)
	ann, _ := meta["annotations"].(map[string]any)
	if ann == nil {
		ann = map[string]any{}
	}
	ann[mapping.AnnotationHash] = h
	meta["annotations"] = ann
	b, err = json.Marshal(m)
	return b, h, err
}

// removeStale deletes the project's ConfigMaps and Secrets no longer in
// r (earlier contents) and, with prune, its other objects no longer in r.
func (c *Cluster) removeStale(ctx context.Context, project string, r mapping.Result, prune bool, out progress.Progress) error {
	want := map[string]bool{}
	for _, obj := range r.Objects {
		want[obj.GetObjectKind().GroupVersionKind().Kind+"/"+obj.GetName()] = true
	}
	for _, k := range kinds {
		stale := k.name == "ConfigMap" || k.name == "Secret"
		if !stale && !prune || k.name == "PersistentVolumeClaim" {
			continue // a volume's claim goes with deploy rm -v only
		}
		names, err := k.list(ctx, c.Client, c.Namespace, metav1.ListOptions{LabelSelector: projectSelector(project)})
		if err != nil {
			return c.classify(err, "listing "+k.name+"s")
		}
		for _, n := range names {
			if want[k.name+"/"+n] {
				continue
			}
			err := k.del(ctx, c.Client, c.Namespace, n, metav1.DeleteOptions{PropagationPolicy: ptr.To(metav1.DeletePropagationBackground)})
			if err != nil && !apierrors.IsNotFound(err) {
				return c.classify(err, "deleting "+k.name+"/"+n)
			}
			progress.Status(out, progress.KindObject, k.name+"/"+n, "Removed")
		}
	}
	return nil
}

// deleteAndWait deletes an object with its dependents (foreground) and
// waits until it is gone.
func (c *Cluster) deleteAndWait(ctx context.Context, k kind, name string) error {
	err := k.del(ctx, c.Client, c.Namespace, name, metav1.DeleteOptions{PropagationPolicy: ptr.To(metav1.DeletePropagationForeground)})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return c.classify(err, "deleting "+k.name+"/"+name)
	}
	return c.waitGone(ctx, k, name)
}

// waitGone waits until the object is gone, watching it from the version
// read, so that no deletion is missed.
func (c *Cluster) waitGone(ctx context.Context, k kind, name string) error {
	cl := k.client(c.Client, c.Namespace)
	for {
		obj, err := cl.Get(ctx, name)
		if apierrors.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return c.classify(err, "reading "+k.name+"/"+name)
		}
		wi, err := cl.Watch(ctx, metav1.ListOptions{FieldSelector: fields.OneTermEqualSelector("metadata.name", name).String(), ResourceVersion: obj.GetResourceVersion()})
		if err != nil {
			return c.classify(err, "watching "+k.name+"/"+name)
		}
		gone := false
		for ev := range events(ctx, wi) {
			if o, ok := ev.Object.(metav1.Object); ok && o.GetName() == name && ev.Type == watch.Deleted {
				gone = true
				break
			}
		}
		wi.Stop()
		if gone {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

func errorf(format string, a ...any) error { return fmt.Errorf(format, a...) }
