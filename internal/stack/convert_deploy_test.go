package stack

import (
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
)

func TestConvertDeploy(t *testing.T) {
	for _, c := range []struct {
		name string
		body string
		got  func(Service) any
		want any
	}{
		{"replicated default", "", func(s Service) any { return s.Spec.Mode }, swarm.ServiceMode{Replicated: &swarm.ReplicatedService{}}},
		{"scale", "scale: 2", func(s Service) any { return *s.Spec.Mode.Replicated.Replicas }, uint64(2)},
		{"global", "deploy: {mode: global}", func(s Service) any { return s.Spec.Mode }, swarm.ServiceMode{Global: &swarm.GlobalService{}}},
		{"replicated-job", "deploy: {mode: replicated-job, replicas: 4}", func(s Service) any {
			return []any{s.Job, *s.Spec.Mode.ReplicatedJob.TotalCompletions, *s.Spec.Mode.ReplicatedJob.MaxConcurrent}
		}, []any{true, uint64(4), uint64(4)}},
		{"global-job", "deploy: {mode: global-job}", func(s Service) any { return []any{s.Job, s.Spec.Mode.GlobalJob != nil} }, []any{true, true}},
		{"job restarts on failure", "deploy: {mode: global-job}", func(s Service) any { return s.Spec.TaskTemplate.RestartPolicy.Condition }, swarm.RestartPolicyConditionOnFailure},
		{"placement", `deploy:
  placement:
    constraints: [node.role==worker]
    preferences: [{spread: node.labels.zone}]
    max_replicas_per_node: 2`, func(s Service) any { return s.Spec.TaskTemplate.Placement }, &swarm.Placement{
			Constraints: []string{"node.role==worker"},
			Preferences: []swarm.PlacementPreference{{Spread: &swarm.SpreadOver{SpreadDescriptor: "node.labels.zone"}}},
			MaxReplicas: 2,
		}},
		{"resources", `deploy:
  resources:
    limits: {cpus: "0.5", memory: 64M, pids: 100}
    reservations:
      cpus: "0.25"
      memory: 32M
      generic_resources: [{discrete_resource_spec: {kind: gpu, value: 2}}]`, func(s Service) any { return s.Spec.TaskTemplate.Resources }, &swarm.ResourceRequirements{
			Limits: &swarm.Limit{NanoCPUs: 5e8, MemoryBytes: 64 << 20, Pids: 100},
			Reservations: &swarm.Resources{NanoCPUs: 25e7, MemoryBytes: 32 << 20,
				GenericResources: []swarm.GenericResource{{DiscreteResourceSpec: &swarm.DiscreteGenericResource{Kind: "gpu", Value: 2}}}},
		}},
		{"restart_policy", "deploy: {restart_policy: {condition: on-failure, delay: 5s, max_attempts: 3, window: 1m}}", func(s Service) any { return s.Spec.TaskTemplate.RestartPolicy }, &swarm.RestartPolicy{
			Condition: swarm.RestartPolicyConditionOnFailure, Delay: ptr(5 * time.Second), MaxAttempts: ptr(uint64(3)), Window: ptr(time.Minute),
		}},
		{"restart no", "restart: \"no\"", func(s Service) any { return s.Spec.TaskTemplate.RestartPolicy.Condition }, swarm.RestartPolicyConditionNone},
		{"restart unless-stopped", "restart: unless-stopped", func(s Service) any { return s.Spec.TaskTemplate.RestartPolicy.Condition }, swarm.RestartPolicyConditionAny},
		{"restart on-failure:3", "restart: on-failure:3", func(s Service) any { return *s.Spec.TaskTemplate.RestartPolicy.MaxAttempts }, uint64(3)},
		{"restart unset", "", func(s Service) any { return s.Spec.TaskTemplate.RestartPolicy }, (*swarm.RestartPolicy)(nil)},
		{"update_config", "deploy: {update_config: {parallelism: 2, delay: 10s, order: start-first, failure_action: rollback, monitor: 30s, max_failure_ratio: 0.5}}", func(s Service) any { return s.Spec.UpdateConfig }, &swarm.UpdateConfig{
			Parallelism: 2, Delay: 10 * time.Second, Order: "start-first", FailureAction: "rollback", Monitor: 30 * time.Second, MaxFailureRatio: 0.5,
		}},
		{"rollback_config, parallelism defaults to 1", "deploy: {rollback_config: {order: stop-first, failure_action: continue}}", func(s Service) any { return s.Spec.RollbackConfig }, &swarm.UpdateConfig{
			Parallelism: 1, Order: "stop-first", FailureAction: "continue",
		}},
		{"parallelism 0 is all at once", "deploy: {update_config: {parallelism: 0}}", func(s Service) any { return s.Spec.UpdateConfig.Parallelism }, uint64(0)},
		{"endpoint_mode vip", "deploy: {endpoint_mode: vip}", func(s Service) any { return s.Spec.EndpointSpec.Mode }, swarm.ResolutionModeVIP},
		{"deploy.labels on the service, labels on containers", "labels: {c: \"1\"}\ndeploy: {labels: {s: \"2\"}}", func(s Service) any {
			return []string{s.Spec.Labels["s"], s.Spec.Labels["c"], s.Spec.TaskTemplate.ContainerSpec.Labels["c"], s.Spec.TaskTemplate.ContainerSpec.Labels["s"]}
		}, []string{"2", "", "1", ""}},
	} {
		t.Run(c.name, func(t *testing.T) {
			check(t, c.name, c.got(web(t, c.body, "")), c.want)
		})
	}
}

func TestJobDropsUpdateConfig(t *testing.T) {
	st, warns := mustConvert(t, webYAML("deploy: {mode: replicated-job, update_config: {parallelism: 2}, rollback_config: {parallelism: 2}}", ""))
	s := service(t, st, "web")
	check(t, "configs", []any{s.Spec.UpdateConfig, s.Spec.RollbackConfig}, []any{(*swarm.UpdateConfig)(nil), (*swarm.UpdateConfig)(nil)})
	check(t, "warnings", len(warns), 2)
}
