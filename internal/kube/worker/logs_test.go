package worker

import (
	"context"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/devstack/devstack/internal/kube/wire"
)

func runningPod(name string, restarts int32, running bool) *corev1.Pod {
	p := &corev1.Pod{ObjectMeta: meta(name, "api"), Status: corev1.PodStatus{Phase: corev1.PodRunning,
		ContainerStatuses: []corev1.ContainerStatus{{RestartCount: restarts}}}}
	if running {
		p.Status.ContainerStatuses[0].State.Running = &corev1.ContainerStateRunning{}
	} else {
		p.Status.ContainerStatuses[0].State.Waiting = &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff"}
	}
	return p
}

// A followed pod whose container restarts is followed again (its stream
// ended when the container did), once it runs; a change that is no
// restart starts no second stream.
func TestLogsFollowRestarts(t *testing.T) {
	cs := fake.NewClientset(runningPod("api-1", 0, true))
	c := &Cluster{Client: cs, Namespace: "ns1"}
	ctx, cancel := context.WithCancel(context.Background())
	var (
		mu    sync.Mutex
		lines int
	)
	done := make(chan error, 1)
	go func() {
		done <- c.Logs(ctx, "shop", wire.LogOptions{Follow: true, Tail: -1}, func(l wire.LogLine) {
			if l.Pod == "api-1" && l.Service == "api" {
				mu.Lock()
				lines++
				mu.Unlock()
			}
		})
	}()
	count := func(want int) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			mu.Lock()
			n := lines
			mu.Unlock()
			if n == want {
				return
			}
		}
		t.Fatalf("%d streams' lines, want %d", lines, want)
	}
	count(1) // the fake client's log is one line, then the stream ends
	pods := cs.CoreV1().Pods("ns1")
	update := func(p *corev1.Pod) {
		t.Helper()
		if _, err := pods.Update(ctx, p, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	update(runningPod("api-1", 0, true)) // no restart
	update(runningPod("api-1", 1, false))
	time.Sleep(200 * time.Millisecond)
	count(1)
	update(runningPod("api-1", 1, true)) // restarted and running
	count(2)
	cancel()
	<-done
}
