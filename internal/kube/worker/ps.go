package worker

import (
	"context"
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/devstack/devstack/internal/kube/mapping"
	"github.com/devstack/devstack/internal/kube/wire"
)

// Ps lists the project's pods in the request's namespace.
func Ps(ctx context.Context, req wire.Request, send func(wire.Pod)) error {
	c, err := Connect(ctx, req.Cluster, req.ProjectName)
	if err != nil {
		return err
	}
	pods, err := c.Pods(ctx, req.ProjectName)
	if err != nil {
		return err
	}
	for _, p := range pods {
		send(p)
	}
	return nil
}

// Pods are the project's pods, by service and name; ErrNoDeployment when
// the namespace holds none of its objects.
func (c *Cluster) Pods(ctx context.Context, project string) ([]wire.Pod, error) {
	list, err := c.Client.CoreV1().Pods(c.Namespace).List(ctx, metav1.ListOptions{LabelSelector: projectSelector(project)})
	if err != nil {
		return nil, c.classify(err, "listing pods")
	}
	if len(list.Items) == 0 {
		if err := c.exists(ctx, project); err != nil {
			return nil, err
		}
	}
	var out []wire.Pod
	for i := range list.Items {
		out = append(out, podRow(&list.Items[i]))
	}
	slices.SortFunc(out, func(a, b wire.Pod) int { return strings.Compare(a.Service+"/"+a.Name, b.Service+"/"+b.Name) })
	return out, nil
}

// exists fails with ErrNoDeployment when no workload or Service of the
// project is in the namespace.
func (c *Cluster) exists(ctx context.Context, project string) error {
	return c.existsOf(ctx, project, kinds[:5]) // workloads and Services
}

// existsOf is exists for objects of the kinds given.
func (c *Cluster) existsOf(ctx context.Context, project string, of []kind) error {
	for _, k := range of {
		names, err := k.list(ctx, c.Client, c.Namespace, metav1.ListOptions{LabelSelector: projectSelector(project)})
		if err != nil {
			return c.classify(err, "listing "+k.name+"s")
		}
		if len(names) > 0 {
			return nil
		}
	}
	return fmt.Errorf("%w: nothing of project %s in namespace %s (deploy --kubernetes --namespace NS names another)", wire.ErrNoDeployment, project, c.Namespace)
}

// podRow is a pod as deploy ps shows it: ready containers, restarts, and
// why it does not run when it does not.
func podRow(p *corev1.Pod) wire.Pod {
	row := wire.Pod{Name: p.Name, Service: p.Labels[mapping.LabelService], Node: p.Spec.NodeName, Phase: string(p.Status.Phase), IP: p.Status.PodIP}
	if p.Status.StartTime != nil {
		row.Started = p.Status.StartTime.Time
	}
	readyN := 0
	for _, cs := range p.Status.ContainerStatuses {
		if cs.Ready {
			readyN++
		}
		row.Restarts += cs.RestartCount
		if w := cs.State.Waiting; w != nil && row.Reason == "" {
			row.Reason = w.Reason
		}
		if t := cs.State.Terminated; t != nil && row.Reason == "" {
			row.Reason = fmt.Sprintf("%s (exit %d)", t.Reason, t.ExitCode)
		}
		if t := cs.LastTerminationState.Terminated; t != nil && row.LastEnd == "" {
			row.LastEnd = fmt.Sprintf("%s (exit %d)", t.Reason, t.ExitCode)
		}
	}
	row.Ready = fmt.Sprintf("%d/%d", readyN, len(p.Spec.Containers))
	if p.DeletionTimestamp != nil {
		row.Phase = "Terminating"
	}
	if row.Reason == "" && p.Status.Reason != "" {
		row.Reason = p.Status.Reason
	}
	return row
}
