package worker

import (
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/devstack/devstack/internal/kube/mapping"
	"github.com/devstack/devstack/internal/kube/wire"
)

// ToChange is what the dashboard is told of objects of one kind. Pure.
func ToChange(kind, typ string, objs []runtime.Object) wire.Change {
	ch := wire.Change{Kind: kind, Type: typ}
	for _, obj := range objs {
		switch o := obj.(type) {
		case *corev1.Pod:
			ch.Pods = append(ch.Pods, podRow(o))
		case *corev1.Service:
			ch.Services = append(ch.Services, servicePorts(o))
		case *corev1.Event:
			ch.Events = append(ch.Events, eventOf(o))
		default:
			if w, ok := workloadOf(obj); ok {
				ch.Workloads = append(ch.Workloads, w)
			}
		}
	}
	return ch
}

// workloadOf is a workload's replicas, image and rollout, as the
// dashboard shows them.
func workloadOf(obj runtime.Object) (wire.Workload, bool) {
	var (
		w    wire.Workload
		meta metav1.Object
		pod  corev1.PodSpec
	)
	switch o := obj.(type) {
	case *appsv1.Deployment:
		meta, pod = o, o.Spec.Template.Spec
		s := o.Status
		w = wire.Workload{Kind: wire.KindDeployment, Desired: ptrOr(o.Spec.Replicas, 1), Ready: s.ReadyReplicas}
		w.Rolling = o.Generation > s.ObservedGeneration || s.UpdatedReplicas < w.Desired || s.Replicas > s.UpdatedReplicas
		for _, c := range s.Conditions {
			if c.Type == appsv1.DeploymentProgressing && c.Reason == "ProgressDeadlineExceeded" {
				w.Failed = c.Message
			}
		}
	case *appsv1.StatefulSet:
		meta, pod = o, o.Spec.Template.Spec
		s := o.Status
		w = wire.Workload{Kind: wire.KindStatefulSet, Desired: ptrOr(o.Spec.Replicas, 1), Ready: s.ReadyReplicas}
		w.Rolling = o.Generation > s.ObservedGeneration || s.UpdatedReplicas < w.Desired || s.CurrentRevision != s.UpdateRevision
	case *appsv1.DaemonSet:
		meta, pod = o, o.Spec.Template.Spec
		s := o.Status
		w = wire.Workload{Kind: wire.KindDaemonSet, Desired: s.DesiredNumberScheduled, Ready: s.NumberReady}
		w.Rolling = o.Generation > s.ObservedGeneration || s.UpdatedNumberScheduled < s.DesiredNumberScheduled
	case *batchv1.Job:
		meta, pod = o, o.Spec.Template.Spec
		w = wire.Workload{Kind: wire.KindJob, Desired: ptrOr(o.Spec.Completions, 1), Ready: o.Status.Succeeded}
		for _, c := range o.Status.Conditions {
			if c.Type == batchv1.JobFailed && c.Status == corev1.ConditionTrue {
				w.Failed = strings.TrimSpace(c.Reason + " " + c.Message)
			}
		}
	default:
		return w, false
	}
	w.Name, w.Service = meta.GetName(), meta.GetLabels()[mapping.LabelService]
	if len(pod.Containers) > 0 {
		w.Image = pod.Containers[0].Image
	}
	return w, true
}

// servicePorts is a Service with the ports it publishes on the nodes.
func servicePorts(s *corev1.Service) wire.ServicePorts {
	out := wire.ServicePorts{Name: s.Name, Service: s.Labels[mapping.LabelService], Type: string(s.Spec.Type)}
	for _, p := range s.Spec.Ports {
		if p.NodePort == 0 {
			continue
		}
		target := p.TargetPort.IntVal
		if target == 0 {
			target = p.Port
		}
		out.Ports = append(out.Ports, wire.NodePort{NodePort: p.NodePort, Port: p.Port, Target: target, Proto: strings.ToLower(string(p.Protocol))})
	}
	return out
}

// eventOf is an Event as the dashboard shows it, at its latest time.
func eventOf(e *corev1.Event) wire.Event {
	t := e.LastTimestamp.Time
	for _, alt := range []metav1.Time{{Time: e.EventTime.Time}, e.FirstTimestamp, e.CreationTimestamp} {
		if t.IsZero() {
			t = alt.Time
		}
	}
	count := e.Count
	if e.Series != nil && e.Series.Count > count {
		count = e.Series.Count
		if !e.Series.LastObservedTime.IsZero() {
			t = e.Series.LastObservedTime.Time
		}
	}
	return wire.Event{Name: e.Name, Time: t, Type: e.Type, Reason: e.Reason, Message: firstLine(e.Message),
		ObjectKind: e.InvolvedObject.Kind, ObjectName: e.InvolvedObject.Name, Count: count}
}
