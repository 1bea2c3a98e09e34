package worker

import (
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/devstack/devstack/internal/kube/wire"
)

// ready says whether a workload has rolled out (every replica updated,
// ready and available; a Job complete) and, if not, what it waits for;
// the error is a workload that will not get there on its own.
func ready(obj runtime.Object) (bool, string, error) {
	switch o := obj.(type) {
	case *appsv1.Deployment:
		want := ptrOr(o.Spec.Replicas, 1)
		s := o.Status
		for _, c := range s.Conditions {
			if c.Type == appsv1.DeploymentProgressing && c.Reason == "ProgressDeadlineExceeded" {
				return false, "", fmt.Errorf("%w: %s", wire.ErrFailed, c.Message)
			}
		}
		if o.Generation > s.ObservedGeneration {
			return false, "rollout not started", nil
		}
		return s.UpdatedReplicas == want && s.ReadyReplicas == want && s.AvailableReplicas == want && s.Replicas == want,
			fmt.Sprintf("%d of %d replicas updated and ready", min(s.UpdatedReplicas, s.ReadyReplicas), want), nil
	case *appsv1.StatefulSet:
		want := ptrOr(o.Spec.Replicas, 1)
		s := o.Status
		if o.Generation > s.ObservedGeneration {
			return false, "rollout not started", nil
		}
		return s.UpdatedReplicas == want && s.ReadyReplicas == want && s.CurrentRevision == s.UpdateRevision,
			fmt.Sprintf("%d of %d replicas updated and ready", min(s.UpdatedReplicas, s.ReadyReplicas), want), nil
	case *appsv1.DaemonSet:
		s := o.Status
		if o.Generation > s.ObservedGeneration {
			return false, "rollout not started", nil
		}
		return s.UpdatedNumberScheduled == s.DesiredNumberScheduled && s.NumberReady == s.DesiredNumberScheduled,
			fmt.Sprintf("%d of %d nodes updated and ready", min(s.UpdatedNumberScheduled, s.NumberReady), s.DesiredNumberScheduled), nil
	case *batchv1.Job:
		for _, c := range o.Status.Conditions {
			switch {
			case c.Type == batchv1.JobComplete && c.Status == corev1.ConditionTrue:
				return true, "", nil
			case c.Type == batchv1.JobFailed && c.Status == corev1.ConditionTrue:
				return false, "", fmt.Errorf("%w: job failed: %s", wire.ErrFailed, strings.TrimSpace(c.Reason+" "+c.Message))
			}
		}
		return false, fmt.Sprintf("%d of %d completions", o.Status.Succeeded, ptrOr(o.Spec.Completions, 1)), nil
	}
	return true, "", nil
}

func ptrOr(p *int32, def int32) int32 {
	if p == nil {
		return def
	}
	return *p
}

// Waiting reasons that mean a pod will not start on its own.
var imageReasons = map[string]bool{"ImagePullBackOff": true, "ErrImageNeverPull": true, "InvalidImageName": true, "ErrImagePull": false}

// podProblem is what keeps a pod from running, when it will not get
// better by waiting: its image cannot be pulled (named), its container's
// configuration is wrong, or it keeps crashing.
func podProblem(p *corev1.Pod) error {
	for _, cs := range append(append([]corev1.ContainerStatus{}, p.Status.InitContainerStatuses...), p.Status.ContainerStatuses...) {
		w := cs.State.Waiting
		if w == nil {
			continue
		}
		switch {
		case imageReasons[w.Reason]:
			return fmt.Errorf("%w: pod %s: image %s: %s (%s): import it into the nodes' container runtime, or push it to a registry the nodes can pull from",
				wire.ErrImage, p.Name, cs.Image, w.Reason, firstLine(w.Message))
		case w.Reason == "CreateContainerConfigError" || w.Reason == "CreateContainerError":
			return fmt.Errorf("%w: pod %s: %s: %s", wire.ErrFailed, p.Name, w.Reason, firstLine(w.Message))
		case w.Reason == "CrashLoopBackOff" && cs.RestartCount >= 3:
			why := ""
			if t := cs.LastTerminationState.Terminated; t != nil {
				why = fmt.Sprintf(" (last exit %d %s)", t.ExitCode, strings.TrimSpace(t.Reason+" "+firstLine(t.Message)))
			}
			return fmt.Errorf("%w: pod %s restarted %d times%s: deploy logs shows its output", wire.ErrFailed, p.Name, cs.RestartCount, why)
		}
	}
	return nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
