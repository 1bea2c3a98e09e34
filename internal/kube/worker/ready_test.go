package worker

import (
	"errors"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"

	"github.com/devstack/devstack/internal/kube/wire"
)

func TestReady(t *testing.T) {
	dep := func(gen, observed int64, updated, ready, available, total int32) *appsv1.Deployment {
		return &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Generation: gen}, Spec: appsv1.DeploymentSpec{Replicas: ptr.To[int32](2)},
			Status: appsv1.DeploymentStatus{ObservedGeneration: observed, UpdatedReplicas: updated, ReadyReplicas: ready, AvailableReplicas: available, Replicas: total}}
	}
	for _, tc := range []struct {
		name  string
		obj   runtime.Object
		ready bool
		err   error
		why   string
	}{
		{"deployment rolled out", dep(2, 2, 2, 2, 2, 2), true, nil, ""},
		{"deployment not observed", dep(3, 2, 2, 2, 2, 2), false, nil, "rollout not started"},
		{"deployment old pod left", dep(2, 2, 2, 2, 2, 3), false, nil, "2 of 2"},
		{"deployment half ready", dep(2, 2, 2, 1, 1, 2), false, nil, "1 of 2 replicas"},
		{"deployment deadline", &appsv1.Deployment{Status: appsv1.DeploymentStatus{Conditions: []appsv1.DeploymentCondition{
			{Type: appsv1.DeploymentProgressing, Reason: "ProgressDeadlineExceeded", Message: "ReplicaSet web-1 has timed out progressing."}}}},
			false, wire.ErrFailed, ""},
		{"statefulset ready", &appsv1.StatefulSet{Spec: appsv1.StatefulSetSpec{Replicas: ptr.To[int32](1)},
			Status: appsv1.StatefulSetStatus{ReadyReplicas: 1, UpdatedReplicas: 1, CurrentRevision: "a", UpdateRevision: "a"}}, true, nil, ""},
		{"statefulset updating", &appsv1.StatefulSet{Spec: appsv1.StatefulSetSpec{Replicas: ptr.To[int32](1)},
			Status: appsv1.StatefulSetStatus{ReadyReplicas: 1, UpdatedReplicas: 1, CurrentRevision: "a", UpdateRevision: "b"}}, false, nil, ""},
		{"daemonset ready", &appsv1.DaemonSet{Status: appsv1.DaemonSetStatus{DesiredNumberScheduled: 3, NumberReady: 3, UpdatedNumberScheduled: 3}}, true, nil, ""},
		{"daemonset not", &appsv1.DaemonSet{Status: appsv1.DaemonSetStatus{DesiredNumberScheduled: 3, NumberReady: 2, UpdatedNumberScheduled: 3}}, false, nil, "2 of 3 nodes"},
		{"job complete", &batchv1.Job{Status: batchv1.JobStatus{Conditions: []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue}}}}, true, nil, ""},
		{"job failed", &batchv1.Job{Status: batchv1.JobStatus{Conditions: []batchv1.JobCondition{{Type: batchv1.JobFailed, Status: corev1.ConditionTrue, Reason: "BackoffLimitExceeded"}}}}, false, wire.ErrFailed, ""},
		{"job running", &batchv1.Job{Status: batchv1.JobStatus{Succeeded: 0}}, false, nil, "0 of 1 completions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, why, err := ready(tc.obj)
			if ok != tc.ready || !errors.Is(err, tc.err) || (tc.err == nil && err != nil) || !strings.Contains(why, tc.why) {
				t.Fatalf("got %v %q %v", ok, why, err)
			}
		})
	}
}

func TestPodProblem(t *testing.T) {
	waiting := func(reason string, restarts int32) *corev1.Pod {
		return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web-1"}, Status: corev1.PodStatus{ContainerStatuses: []corev1.ContainerStatus{{
			Image: "nope:1", RestartCount: restarts,
			State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason, Message: "details\nmore"}},
		}}}}
	}
	for _, tc := range []struct {
		name string
		pod  *corev1.Pod
		err  error
		want string
	}{
		{"never pull", waiting("ErrImageNeverPull", 0), wire.ErrImage, "image nope:1: ErrImageNeverPull (details)"},
		{"pull back-off", waiting("ImagePullBackOff", 0), wire.ErrImage, "ImagePullBackOff"},
		{"first pull error: wait", waiting("ErrImagePull", 0), nil, ""},
		{"config error", waiting("CreateContainerConfigError", 0), wire.ErrFailed, "CreateContainerConfigError: details"},
		{"crash loop early: wait", waiting("CrashLoopBackOff", 1), nil, ""},
		{"crash loop", waiting("CrashLoopBackOff", 3), wire.ErrFailed, "restarted 3 times"},
		{"creating", waiting("ContainerCreating", 0), nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := podProblem(tc.pod)
			if !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %v %q", err, tc.err, tc.want)
			}
		})
	}
}
