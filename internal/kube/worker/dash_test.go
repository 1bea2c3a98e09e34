package worker

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/devstack/devstack/internal/kube/mapping"
	"github.com/devstack/devstack/internal/kube/wire"
)

func projectLabels(svc string) map[string]string {
	return map[string]string{mapping.LabelProject: "shop", mapping.LabelManagedBy: mapping.ManagedBy, mapping.LabelService: svc}
}

func meta(name, svc string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: "ns1", Labels: projectLabels(svc), Generation: 2}
}

func TestToChange(t *testing.T) {
	two := int32(2)
	tmpl := corev1.PodTemplateSpec{Spec: corev1.PodSpec{Containers: []corev1.Container{{Image: "app:1"}}}}
	for _, tc := range []struct {
		name string
		obj  runtime.Object
		want string
	}{
		{name: "a deployment rolled out",
			obj: &appsv1.Deployment{ObjectMeta: meta("api", "api"), Spec: appsv1.DeploymentSpec{Replicas: &two, Template: tmpl},
				Status: appsv1.DeploymentStatus{ObservedGeneration: 2, Replicas: 2, UpdatedReplicas: 2, ReadyReplicas: 2}},
			want: "{Kind:Deployment Name:api Service:api Image:app:1 Desired:2 Ready:2 Rolling:false Failed:}"},
		{name: "a deployment rolling, past its deadline",
			obj: &appsv1.Deployment{ObjectMeta: meta("api", "api"), Spec: appsv1.DeploymentSpec{Replicas: &two, Template: tmpl},
				Status: appsv1.DeploymentStatus{ObservedGeneration: 2, Replicas: 3, UpdatedReplicas: 1, ReadyReplicas: 2,
					Conditions: []appsv1.DeploymentCondition{{Type: appsv1.DeploymentProgressing, Reason: "ProgressDeadlineExceeded", Message: "took too long"}}}},
			want: "{Kind:Deployment Name:api Service:api Image:app:1 Desired:2 Ready:2 Rolling:true Failed:took too long}"},
		{name: "a statefulset not seen yet by its controller",
			obj:  &appsv1.StatefulSet{ObjectMeta: meta("db", "db"), Spec: appsv1.StatefulSetSpec{Template: tmpl}, Status: appsv1.StatefulSetStatus{ObservedGeneration: 1}},
			want: "{Kind:StatefulSet Name:db Service:db Image:app:1 Desired:1 Ready:0 Rolling:true Failed:}"},
		{name: "a daemonset",
			obj: &appsv1.DaemonSet{ObjectMeta: meta("agent", "agent"), Spec: appsv1.DaemonSetSpec{Template: tmpl},
				Status: appsv1.DaemonSetStatus{ObservedGeneration: 2, DesiredNumberScheduled: 3, UpdatedNumberScheduled: 3, NumberReady: 2}},
			want: "{Kind:DaemonSet Name:agent Service:agent Image:app:1 Desired:3 Ready:2 Rolling:false Failed:}"},
		{name: "a failed job",
			obj: &batchv1.Job{ObjectMeta: meta("seed", "seed"), Spec: batchv1.JobSpec{Template: tmpl},
				Status: batchv1.JobStatus{Conditions: []batchv1.JobCondition{{Type: batchv1.JobFailed, Status: corev1.ConditionTrue, Reason: "BackoffLimitExceeded", Message: "Job has reached the specified backoff limit"}}}},
			want: "{Kind:Job Name:seed Service:seed Image:app:1 Desired:1 Ready:0 Rolling:false Failed:BackoffLimitExceeded Job has reached the specified backoff limit}"},
		{name: "a NodePort service",
			obj: &corev1.Service{ObjectMeta: meta("web", "web"), Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeNodePort, Ports: []corev1.ServicePort{
				{Port: 80, TargetPort: intstr.FromInt32(8080), NodePort: 30080, Protocol: corev1.ProtocolTCP}, {Port: 81, Protocol: corev1.ProtocolUDP}}}},
			want: "{Name:web Service:web Type:NodePort Ports:[{NodePort:30080 Port:80 Target:8080 Proto:tcp}]}"},
		{name: "a restarted pod",
			obj: &corev1.Pod{ObjectMeta: meta("api-7c-a", "api"), Spec: corev1.PodSpec{NodeName: "n1", Containers: []corev1.Container{{}}},
				Status: corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.88.0.4", ContainerStatuses: []corev1.ContainerStatus{{Ready: true, RestartCount: 2,
					State:                corev1.ContainerState{Running: &corev1.ContainerStateRunning{}},
					LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: "Error", ExitCode: 3}}}}}},
			want: "{Name:api-7c-a Service:api Node:n1 Phase:Running Ready:1/1 Reason: IP:10.88.0.4 Restarts:2 Started:0001-01-01 00:00:00 +0000 UTC LastEnd:Error (exit 3)}"},
		{name: "an event counted in a series",
			obj: &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "e1"}, Type: "Warning", Reason: "BackOff", Message: "Back-off restarting failed container\nmore",
				InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "api-7c-a"}, Count: 1, LastTimestamp: metav1.NewTime(time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)),
				Series: &corev1.EventSeries{Count: 5, LastObservedTime: metav1.NewMicroTime(time.Date(2026, 1, 2, 10, 5, 0, 0, time.UTC))}},
			want: "{Name:e1 Time:2026-01-02 10:05:00 +0000 UTC Type:Warning Reason:BackOff Message:Back-off restarting failed container ObjectKind:Pod ObjectName:api-7c-a Count:5}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ToChange("K", wire.ChangeSet, []runtime.Object{tc.obj})
			var got []any
			for _, w := range c.Workloads {
				got = append(got, w)
			}
			for _, s := range c.Services {
				got = append(got, s)
			}
			for _, p := range c.Pods {
				got = append(got, p)
			}
			for _, e := range c.Events {
				got = append(got, e)
			}
			if len(got) != 1 {
				t.Fatalf("%d objects in %+v", len(got), c)
			}
			if s := sprint(got[0]); s != tc.want {
				t.Errorf("got  %s\nwant %s", s, tc.want)
			}
		})
	}
}

// Dash lists each kind once, then streams what its watch sees.
func TestDash(t *testing.T) {
	one := int32(1)
	cs := fake.NewClientset(
		&appsv1.Deployment{ObjectMeta: meta("api", "api"), Spec: appsv1.DeploymentSpec{Replicas: &one}},
		&corev1.Pod{ObjectMeta: meta("api-7c-a", "api"), Status: corev1.PodStatus{Phase: corev1.PodRunning}},
		&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "other", Namespace: "ns1", Labels: map[string]string{mapping.LabelProject: "else"}}},
	)
	c := &Cluster{Client: cs, Namespace: "ns1"}
	ctx, cancel := context.WithCancel(context.Background())
	var (
		mu      sync.Mutex
		changes []wire.Change
	)
	done := make(chan error, 1)
	go func() {
		done <- c.Dash(ctx, "shop", func(ch wire.Change) { mu.Lock(); changes = append(changes, ch); mu.Unlock() })
	}()
	wait := func(ok func(wire.Change) bool) wire.Change {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			mu.Lock()
			for _, ch := range changes {
				if ok(ch) {
					mu.Unlock()
					return ch
				}
			}
			mu.Unlock()
		}
		t.Fatalf("no such change in %+v", changes)
		return wire.Change{}
	}
	lists := map[string]bool{}
	for _, k := range append(wire.WorkloadKinds, wire.KindService, wire.KindPod, wire.KindEvent) {
		ch := wait(func(ch wire.Change) bool { return ch.Kind == k && ch.Type == wire.ChangeList })
		lists[k] = true
		if k == wire.KindPod && (len(ch.Pods) != 1 || ch.Pods[0].Name != "api-7c-a") {
			t.Errorf("pods listed: %+v (want only the project's)", ch.Pods)
		}
	}
	pods := cs.CoreV1().Pods("ns1")
	if _, err := pods.Create(ctx, &corev1.Pod{ObjectMeta: meta("api-7c-b", "api")}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	wait(func(ch wire.Change) bool {
		return ch.Kind == wire.KindPod && ch.Type == wire.ChangeSet && len(ch.Pods) == 1 && ch.Pods[0].Name == "api-7c-b"
	})
	if err := pods.Delete(ctx, "api-7c-a", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	wait(func(ch wire.Change) bool {
		return ch.Kind == wire.KindPod && ch.Type == wire.ChangeDelete && ch.Pods[0].Name == "api-7c-a"
	})
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Dash ended with %v, want nil once cancelled", err)
	}
}

func sprint(v any) string { return fmt.Sprintf("%+v", v) }
