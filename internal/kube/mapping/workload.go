package mapping

import (
	"github.com/compose-spec/compose-go/v2/types"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

var (
	deploymentType  = metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"}
	statefulSetType = metav1.TypeMeta{APIVersion: "apps/v1", Kind: "StatefulSet"}
	daemonSetType   = metav1.TypeMeta{APIVersion: "apps/v1", Kind: "DaemonSet"}
	jobType         = metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"}
)

// workload maps s to its Deployment, StatefulSet, DaemonSet or Job.
func (m *mapper) workload(s types.ServiceConfig) (Workload, error) {
	pod, err := m.podTemplate(s)
	if err != nil {
		return Workload{}, err
	}
	name := m.names[s.Name]
	meta := m.meta(name, m.workloadLabels(s))
	meta.Annotations = m.annotations(s)
	sel := &metav1.LabelSelector{MatchLabels: m.selector(s.Name)}
	w := Workload{Service: s.Name, Healthy: hasHealthcheck(s)}
	mode := ""
	if s.Deploy != nil {
		mode = s.Deploy.Mode
	}
	switch mode {
	case "global":
		m.restartAlways(s)
		w.Object = &appsv1.DaemonSet{TypeMeta: daemonSetType, ObjectMeta: meta,
			Spec: appsv1.DaemonSetSpec{Selector: sel, Template: pod, UpdateStrategy: m.daemonStrategy(s)}}
	case "replicated-job", "global-job":
		w.Object = &batchv1.Job{TypeMeta: jobType, ObjectMeta: meta, Spec: m.jobSpec(s, pod)}
	default:
		replicas := int32(replicaCount(s))
		m.restartAlways(s)
		if replicas <= 1 && m.mountsNamedVolume(s) {
			w.Object = &appsv1.StatefulSet{TypeMeta: statefulSetType, ObjectMeta: meta, Spec: appsv1.StatefulSetSpec{
				Replicas: &replicas, Selector: sel, Template: pod, ServiceName: name,
				PersistentVolumeClaimRetentionPolicy: nil,
			}}
			break
		}
		if replicas > 1 && m.mountsNamedVolume(s) {
			m.note(s.Name, "volumes", "%d replicas share each named volume's one PersistentVolumeClaim: its storage class must allow ReadWriteMany, or give each replica a service of its own", replicas)
		}
		w.Object = &appsv1.Deployment{TypeMeta: deploymentType, ObjectMeta: meta, Spec: appsv1.DeploymentSpec{
			Replicas: &replicas, Selector: sel, Template: pod, Strategy: m.deploymentStrategy(s),
		}}
	}
	return w, nil
}

// workloadLabels are the service's labels plus deploy.labels.
func (m *mapper) workloadLabels(s types.ServiceConfig) map[string]string {
	l := m.serviceLabels(s.Name)
	if s.Deploy != nil {
		m.addLabels(s.Name, "deploy.labels", l, s.Deploy.Labels)
	}
	return l
}

func replicaCount(s types.ServiceConfig) int {
	switch {
	case s.Deploy != nil && s.Deploy.Replicas != nil:
		return *s.Deploy.Replicas
	case s.Scale != nil:
		return *s.Scale
	}
	return 1
}

func hasHealthcheck(s types.ServiceConfig) bool {
	h := s.HealthCheck
	return h != nil && !h.Disable && len(h.Test) > 0 && h.Test[0] != "NONE"
}

// restartAlways reports a restart policy other than always on a service
// whose pods Kubernetes always restarts.
func (m *mapper) restartAlways(s types.ServiceConfig) {
	r := s.Restart
	if s.Deploy != nil && s.Deploy.RestartPolicy != nil {
		m.note(s.Name, "deploy.restart_policy", "not mapped: the pods of a Deployment, StatefulSet or DaemonSet always restart (use deploy.mode: replicated-job for a one-off)")
		return
	}
	if r != "" && r != types.RestartPolicyAlways && r != types.RestartPolicyUnlessStopped {
		m.note(s.Name, "restart", "%q not mapped: the pods of a Deployment, StatefulSet or DaemonSet always restart (use deploy.mode: replicated-job for a one-off)", r)
	}
}

// jobSpec maps a job service: replicas become completions and
// parallelism, the restart policy the pods' and the backoff limit.
func (m *mapper) jobSpec(s types.ServiceConfig, pod corev1.PodTemplateSpec) batchv1.JobSpec {
	n := int32(replicaCount(s))
	spec := batchv1.JobSpec{Completions: &n, Parallelism: &n, Template: pod}
	if s.Deploy.Mode == "global-job" {
		m.note(s.Name, "deploy.mode", "global-job runs once (one completion), not once per node: Kubernetes has no per-node Job")
		spec.Completions, spec.Parallelism = ptr.To[int32](1), ptr.To[int32](1)
	}
	spec.Template.Spec.RestartPolicy = corev1.RestartPolicyOnFailure
	cond, attempts := s.Restart, (*uint64)(nil)
	if rp := s.Deploy.RestartPolicy; rp != nil {
		cond, attempts = rp.Condition, rp.MaxAttempts
		if rp.Delay != nil || rp.Window != nil {
			m.note(s.Name, "deploy.restart_policy", "delay and window not mapped: Kubernetes backs off on its own")
		}
	}
	if cond == "none" || cond == types.RestartPolicyNo {
		spec.Template.Spec.RestartPolicy = corev1.RestartPolicyNever
		spec.BackoffLimit = ptr.To[int32](0)
	}
	if attempts != nil {
		spec.BackoffLimit = ptr.To(int32(*attempts))
	}
	return spec
}

// deploymentStrategy maps deploy.update_config: order start-first
// surges, stop-first takes pods down first, parallelism is how many.
func (m *mapper) deploymentStrategy(s types.ServiceConfig) appsv1.DeploymentStrategy {
	if s.Deploy == nil || s.Deploy.UpdateConfig == nil {
		if s.Deploy != nil && s.Deploy.RollbackConfig != nil {
			m.note(s.Name, "deploy.rollback_config", "not mapped: Kubernetes does not roll back on its own (kubectl rollout undo)")
		}
		return appsv1.DeploymentStrategy{}
	}
	u := s.Deploy.UpdateConfig
	m.updateNotes(s)
	n := intstr.FromInt32(1)
	if u.Parallelism != nil && *u.Parallelism > 0 {
		n = intstr.FromInt32(int32(*u.Parallelism))
	}
	zero := intstr.FromInt32(0)
	ru := &appsv1.RollingUpdateDeployment{MaxSurge: &zero, MaxUnavailable: &n}
	if u.Order == "start-first" {
		ru = &appsv1.RollingUpdateDeployment{MaxSurge: &n, MaxUnavailable: &zero}
	}
	return appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType, RollingUpdate: ru}
}

func (m *mapper) daemonStrategy(s types.ServiceConfig) appsv1.DaemonSetUpdateStrategy {
	if s.Deploy.UpdateConfig == nil {
		return appsv1.DaemonSetUpdateStrategy{}
	}
	m.updateNotes(s)
	u := s.Deploy.UpdateConfig
	if u.Parallelism != nil && *u.Parallelism > 0 {
		n := intstr.FromInt32(int32(*u.Parallelism))
		return appsv1.DaemonSetUpdateStrategy{Type: appsv1.RollingUpdateDaemonSetStrategyType,
			RollingUpdate: &appsv1.RollingUpdateDaemonSet{MaxUnavailable: &n}}
	}
	return appsv1.DaemonSetUpdateStrategy{}
}

func (m *mapper) updateNotes(s types.ServiceConfig) {
	u := s.Deploy.UpdateConfig
	if u.Delay != 0 || u.Monitor != 0 || u.FailureAction != "" || u.MaxFailureRatio != 0 {
		m.note(s.Name, "deploy.update_config", "delay, monitor, failure_action and max_failure_ratio not mapped: a rollout waits for readiness and stops on failure")
	}
	if s.Deploy.RollbackConfig != nil {
		m.note(s.Name, "deploy.rollback_config", "not mapped: Kubernetes does not roll back on its own (kubectl rollout undo)")
	}
}
