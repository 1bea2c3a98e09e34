package worker

import (
	"bufio"
	"context"
	"slices"
	"sync"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/devstack/devstack/internal/kube/mapping"
	"github.com/devstack/devstack/internal/kube/wire"
)

// Logs sends the log lines of the project's pods (of the named services,
// or all); with Follow it follows them, the pods that start later and the
// containers that restart, until ctx ends.
func Logs(ctx context.Context, req wire.Request, send func(wire.LogLine)) error {
	c, err := Connect(ctx, req.Cluster, req.ProjectName)
	if err != nil {
		return err
	}
	return c.Logs(ctx, req.ProjectName, req.Logs, send)
}

// Logs streams the project's pods' logs to send.
func (c *Cluster) Logs(ctx context.Context, project string, o wire.LogOptions, send func(wire.LogLine)) error {
	pods := c.Client.CoreV1().Pods(c.Namespace)
	list, err := pods.List(ctx, metav1.ListOptions{LabelSelector: projectSelector(project)})
	if err != nil {
		return c.classify(err, "listing pods")
	}
	if len(list.Items) == 0 && !o.Follow {
		return c.exists(ctx, project)
	}
	var (
		mu        sync.Mutex
		started   = map[string]int32{} // pod -> its restarts when its last stream began
		following = map[string]bool{}
		wg        sync.WaitGroup
	)
	start := func(p *corev1.Pod) {
		svc := p.Labels[mapping.LabelService]
		if len(o.Services) > 0 && !slices.Contains(o.Services, svc) {
			return
		}
		if p.Status.Phase == corev1.PodPending || p.Status.Phase == "" {
			return // no log yet: a follow starts it when it runs
		}
		mu.Lock()
		defer mu.Unlock()
		n, again := started[p.Name]
		if following[p.Name] || again && (restarts(p) == n || !running(p) || p.DeletionTimestamp != nil) {
			return // a stream that ended starts again only for a restarted container
		}
		started[p.Name], following[p.Name] = restarts(p), true
		lo := o
		if again {
			lo.Tail = -1 // the new container's whole log
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.podLog(ctx, p.Name, svc, lo, send)
			mu.Lock()
			following[p.Name] = false
			mu.Unlock()
		}()
	}
	for i := range list.Items {
		start(&list.Items[i])
	}
	if o.Follow {
		c.followPods(ctx, project, list.ResourceVersion, start)
	}
	wg.Wait()
	return nil
}

// followPods calls start for each pod that changes, until ctx ends.
func (c *Cluster) followPods(ctx context.Context, project, rv string, start func(*corev1.Pod)) {
	for ctx.Err() == nil {
		wi, err := c.Client.CoreV1().Pods(c.Namespace).Watch(ctx, metav1.ListOptions{LabelSelector: projectSelector(project), ResourceVersion: rv})
		if err != nil {
			return
		}
		for ev := range events(ctx, wi) {
			if p, ok := ev.Object.(*corev1.Pod); ok && (ev.Type == watch.Added || ev.Type == watch.Modified) {
				start(p)
				rv = p.ResourceVersion
			}
		}
		wi.Stop()
	}
}

// podLog streams one pod's log, line by line.
func (c *Cluster) podLog(ctx context.Context, pod, service string, o wire.LogOptions, send func(wire.LogLine)) {
	lo := &corev1.PodLogOptions{Follow: o.Follow}
	if o.Tail >= 0 {
		lo.TailLines = &o.Tail
	}
	rc, err := c.Client.CoreV1().Pods(c.Namespace).GetLogs(pod, lo).Stream(ctx)
	if err != nil {
		send(wire.LogLine{Service: service, Pod: pod, Text: "(no log: " + err.Error() + ")"})
		return
	}
	defer rc.Close()
	sc := bufio.NewScanner(rc)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		send(wire.LogLine{Service: service, Pod: pod, Text: sc.Text()})
	}
}

// restarts are the restarts of the pod's containers.
func restarts(p *corev1.Pod) int32 {
	var n int32
	for _, cs := range p.Status.ContainerStatuses {
		n += cs.RestartCount
	}
	return n
}

// running says whether a container of the pod runs.
func running(p *corev1.Pod) bool {
	for _, cs := range p.Status.ContainerStatuses {
		if cs.State.Running != nil {
			return true
		}
	}
	return false
}
