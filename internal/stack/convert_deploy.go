package stack

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/swarm"
)

// deploy maps the deploy: section (and restart:, scale:) onto spec and
// says whether the service is a job.
func (c *converter) deploy(s types.ServiceConfig, spec *swarm.ServiceSpec) (bool, error) {
	d := s.Deploy
	if d == nil {
		d = &types.DeployConfig{}
	}
	mode, job, err := serviceMode(s.Name, d.Mode, replicas(s))
	if err != nil {
		return false, err
	}
	spec.Mode = mode
	t := &spec.TaskTemplate
	if t.RestartPolicy, err = c.restartPolicy(s, job); err != nil {
		return false, err
	}
	t.Placement = placement(d.Placement)
	if t.Resources, err = c.resources(s.Name, d.Resources); err != nil {
		return false, err
	}
	if spec.UpdateConfig, err = updateConfig(s.Name, "update_config", d.UpdateConfig); err != nil {
		return false, err
	}
	if spec.RollbackConfig, err = updateConfig(s.Name, "rollback_config", d.RollbackConfig); err != nil {
		return false, err
	}
	if job {
		c.dropForJob(s.Name, spec)
	}
	spec.EndpointSpec, err = c.endpointSpec(s, d.EndpointMode)
	return job, err
}

// dropForJob drops update and rollback configs from a job, which the
// engine refuses ("Jobs may not have an update config"): a job's update
// reruns it.
func (c *converter) dropForJob(service string, spec *swarm.ServiceSpec) {
	if spec.UpdateConfig != nil {
		c.warn(service, "deploy.update_config", "has no meaning for a job (an update reruns it); ignored")
		spec.UpdateConfig = nil
	}
	if spec.RollbackConfig != nil {
		c.warn(service, "deploy.rollback_config", "has no meaning for a job (an update reruns it); ignored")
		spec.RollbackConfig = nil
	}
}

// replicas is deploy.replicas, else scale:, else nil (the engine's 1).
func replicas(s types.ServiceConfig) *uint64 {
	n := s.Scale
	if s.Deploy != nil && s.Deploy.Replicas != nil {
		n = s.Deploy.Replicas
	}
	if n == nil || *n < 0 {
		return nil
	}
	v := uint64(*n)
	return &v
}

func serviceMode(service, mode string, n *uint64) (swarm.ServiceMode, bool, error) {
	switch mode {
	case "", "replicated":
		return swarm.ServiceMode{Replicated: &swarm.ReplicatedService{Replicas: n}}, false, nil
	case "replicated-job":
		return swarm.ServiceMode{ReplicatedJob: &swarm.ReplicatedJob{MaxConcurrent: n, TotalCompletions: n}}, true, nil
	case "global", "global-job":
		if n != nil && *n != 1 {
			return swarm.ServiceMode{}, false, fmt.Errorf("%w: service %s: deploy.replicas is for replicated modes, not mode %s", ErrInvalid, service, mode)
		}
		if mode == "global" {
			return swarm.ServiceMode{Global: &swarm.GlobalService{}}, false, nil
		}
		return swarm.ServiceMode{GlobalJob: &swarm.GlobalJob{}}, true, nil
	}
	return swarm.ServiceMode{}, false, fmt.Errorf("%w: service %s: deploy.mode %q (want replicated, global, replicated-job or global-job)", ErrInvalid, service, mode)
}

// restartPolicy is deploy.restart_policy, else restart: translated as
// docker stack does (always and unless-stopped are any), except that
// restart: "no" is condition none. Jobs default to on-failure: a job whose
// tasks restart on success never completes.
func (c *converter) restartPolicy(s types.ServiceConfig, job bool) (*swarm.RestartPolicy, error) {
	if s.Deploy != nil && s.Deploy.RestartPolicy != nil {
		if s.Restart != "" {
			c.warn(s.Name, "restart", "is overridden by deploy.restart_policy; ignored")
		}
		rp := s.Deploy.RestartPolicy
		switch rp.Condition {
		case "", "none", "on-failure", "any":
		default:
			return nil, fmt.Errorf("%w: service %s: deploy.restart_policy.condition %q (want none, on-failure or any)", ErrInvalid, s.Name, rp.Condition)
		}
		return &swarm.RestartPolicy{
			Condition:   swarm.RestartPolicyCondition(rp.Condition),
			Delay:       duration(rp.Delay),
			MaxAttempts: rp.MaxAttempts,
			Window:      duration(rp.Window),
		}, nil
	}
	name, count, _ := strings.Cut(s.Restart, ":")
	switch name {
	case "":
		if job {
			return &swarm.RestartPolicy{Condition: swarm.RestartPolicyConditionOnFailure}, nil
		}
		return nil, nil
	case "no":
		return &swarm.RestartPolicy{Condition: swarm.RestartPolicyConditionNone}, nil
	case "always", "unless-stopped":
		return &swarm.RestartPolicy{Condition: swarm.RestartPolicyConditionAny}, nil
	case "on-failure":
		rp := &swarm.RestartPolicy{Condition: swarm.RestartPolicyConditionOnFailure}
		if count != "" {
			n, err := strconv.ParseUint(count, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%w: service %s: restart %q: the retry count is not a number", ErrInvalid, s.Name, s.Restart)
			}
			rp.MaxAttempts = &n
		}
		return rp, nil
	}
	return nil, fmt.Errorf("%w: service %s: restart %q (want no, always, unless-stopped or on-failure[:N])", ErrInvalid, s.Name, s.Restart)
}

func placement(p types.Placement) *swarm.Placement {
	out := &swarm.Placement{Constraints: p.Constraints, MaxReplicas: p.MaxReplicas}
	for _, pref := range p.Preferences {
		out.Preferences = append(out.Preferences, swarm.PlacementPreference{Spread: &swarm.SpreadOver{SpreadDescriptor: pref.Spread}})
	}
	return out
}

// resources maps limits (cpus, memory, pids) and reservations (cpus,
// memory, generic resources). Device requests have no swarm field.
func (c *converter) resources(service string, r types.Resources) (*swarm.ResourceRequirements, error) {
	out := &swarm.ResourceRequirements{}
	if l := r.Limits; l != nil {
		out.Limits = &swarm.Limit{NanoCPUs: nanoCPUs(l.NanoCPUs), MemoryBytes: int64(l.MemoryBytes), Pids: l.Pids}
		if len(l.Devices) > 0 {
			c.warn(service, "deploy.resources.limits.devices", ignored)
		}
		if len(l.GenericResources) > 0 {
			c.warn(service, "deploy.resources.limits.generic_resources", "has no meaning on swarm (generic resources are reserved, not limited); ignored")
		}
	}
	if rv := r.Reservations; rv != nil {
		out.Reservations = &swarm.Resources{NanoCPUs: nanoCPUs(rv.NanoCPUs), MemoryBytes: int64(rv.MemoryBytes)}
		if rv.Pids != 0 {
			c.warn(service, "deploy.resources.reservations.pids", ignored)
		}
		if len(rv.Devices) > 0 {
			c.warn(service, "deploy.resources.reservations.devices", ignored)
		}
		for i, g := range rv.GenericResources {
			if g.DiscreteResourceSpec == nil {
				return nil, fmt.Errorf("%w: service %s: deploy.resources.reservations.generic_resources[%d] has no discrete_resource_spec", ErrInvalid, service, i)
			}
			out.Reservations.GenericResources = append(out.Reservations.GenericResources, swarm.GenericResource{
				DiscreteResourceSpec: &swarm.DiscreteGenericResource{Kind: g.DiscreteResourceSpec.Kind, Value: g.DiscreteResourceSpec.Value},
			})
		}
	}
	return out, nil
}

func nanoCPUs(n types.NanoCPUs) int64 {
	return int64(math.Round(float64(n) * 1e9))
}

// updateConfig maps update_config or rollback_config; parallelism
// defaults to 1, as docker stack sets it.
func updateConfig(service, key string, u *types.UpdateConfig) (*swarm.UpdateConfig, error) {
	if u == nil {
		return nil, nil
	}
	actions := []string{"", "pause", "continue", "rollback"}
	if key == "rollback_config" {
		actions = actions[:3]
	}
	if !slices.Contains(actions, u.FailureAction) {
		return nil, fmt.Errorf("%w: service %s: deploy.%s.failure_action %q (want %s)", ErrInvalid, service, key, u.FailureAction, strings.Join(actions[1:], ", "))
	}
	if !slices.Contains([]string{"", "start-first", "stop-first"}, u.Order) {
		return nil, fmt.Errorf("%w: service %s: deploy.%s.order %q (want start-first or stop-first)", ErrInvalid, service, key, u.Order)
	}
	parallelism := uint64(1)
	if u.Parallelism != nil {
		parallelism = *u.Parallelism
	}
	return &swarm.UpdateConfig{
		Parallelism:     parallelism,
		Delay:           time.Duration(u.Delay),
		FailureAction:   u.FailureAction,
		Monitor:         time.Duration(u.Monitor),
		MaxFailureRatio: u.MaxFailureRatio,
		Order:           u.Order,
	}, nil
}
