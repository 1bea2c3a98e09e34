package worker

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/devstack/devstack/internal/kube/mapping"
	"github.com/devstack/devstack/internal/kube/wire"
	"github.com/devstack/devstack/internal/progress"
)

const twoLevels = `
services:
  web: {image: nginx, depends_on: [db]}
  db: {image: postgres}
`

// deploy runs Apply of twoLevels in the background.
func deploy(t *testing.T, cs *fake.Clientset) chan error {
	c := &Cluster{Client: cs, Namespace: "demo"}
	r, err := mapping.Map(mapping.Input{Project: loadProject(t, twoLevels)}, wire.MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		done <- c.Apply(context.Background(), "demo", r, wire.DeployOptions{Timeout: 20 * time.Second}, progress.Discard)
	}()
	return done
}

// waitFor polls the fake's store (the test's side, not the code's).
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func markReady(t *testing.T, cs *fake.Clientset, name string) {
	d, err := cs.AppsV1().Deployments("demo").Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d.Status = appsv1.DeploymentStatus{ObservedGeneration: d.Generation, Replicas: 1, UpdatedReplicas: 1, ReadyReplicas: 1, AvailableReplicas: 1}
	if _, err := cs.AppsV1().Deployments("demo").UpdateStatus(context.Background(), d, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// web is applied only once db is ready, which the deploy learns from its
// watch; the deploy ends when web is ready too.
func TestApplyWaitsForEachLevel(t *testing.T) {
	cs := fake.NewClientset()
	done := deploy(t, cs)
	exists := func(name string) func() bool {
		return func() bool {
			_, err := cs.AppsV1().Deployments("demo").Get(context.Background(), name, metav1.GetOptions{})
			return err == nil
		}
	}
	waitFor(t, "db applied", exists("db"))
	time.Sleep(50 * time.Millisecond)
	if exists("web")() {
		t.Fatal("web applied before db was ready")
	}
	markReady(t, cs, "db")
	waitFor(t, "web applied", exists("web"))
	select {
	case err := <-done:
		t.Fatalf("deploy ended before web was ready: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	markReady(t, cs, "web")
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// A pod whose image no node has fails the deploy at once, naming it.
func TestApplyFailsOnImage(t *testing.T) {
	cs := fake.NewClientset()
	done := deploy(t, cs)
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "db-1", Namespace: "demo", Labels: map[string]string{mapping.LabelProject: "demo", mapping.LabelService: "db"}},
		Status: corev1.PodStatus{ContainerStatuses: []corev1.ContainerStatus{{Image: "postgres", State: corev1.ContainerState{
			Waiting: &corev1.ContainerStateWaiting{Reason: "ErrImageNeverPull", Message: `Container image "postgres" is not present with pull policy of Never`}}}}}}
	if _, err := cs.CoreV1().Pods("demo").Create(context.Background(), pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, wire.ErrImage) || !strings.Contains(err.Error(), "service db: ") || !strings.Contains(err.Error(), "image postgres: ErrImageNeverPull") {
			t.Fatalf("got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("deploy did not fail on the pod's image")
	}
}
