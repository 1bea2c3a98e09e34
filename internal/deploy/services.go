package deploy

import (
	"context"
	"fmt"

	"github.com/docker/docker/api/types/swarm"

	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/stack"
)

// withIDs returns the service's spec with the IDs of its secrets and
// configs filled in (the converter leaves them to the apply side).
func withIDs(s stack.Service, ids ids) (swarm.ServiceSpec, error) {
	spec := s.Spec
	cs := spec.TaskTemplate.ContainerSpec
	if cs == nil {
		return spec, nil
	}
	c := *cs
	c.Secrets, c.Configs = nil, nil
	for _, r := range cs.Secrets {
		r2 := *r
		if r2.SecretID = ids.secrets[r.SecretName]; r2.SecretID == "" {
			return spec, fmt.Errorf("service %s: secret %s: %w", s.Name, r.SecretName, ErrMissing)
		}
		c.Secrets = append(c.Secrets, &r2)
	}
	for _, r := range cs.Configs {
		r2 := *r
		if r2.ConfigID = ids.configs[r.ConfigName]; r2.ConfigID == "" {
			return spec, fmt.Errorf("service %s: config %s: %w", s.Name, r.ConfigName, ErrMissing)
		}
		c.Configs = append(c.Configs, &r2)
	}
	spec.TaskTemplate.ContainerSpec = &c
	return spec, nil
}

// applyService creates or updates one service as the plan says and
// returns its ID. An update sends the current version; how the tasks are
// replaced (update_config, rollback on failure) is the engine's job.
func applyService(ctx context.Context, api API, a stack.Action, ids ids, auth string, out progress.Progress) (string, error) {
	spec, err := withIDs(a.Service, ids)
	if err != nil {
		return "", err
	}
	name := spec.Name
	switch a.Kind {
	case stack.Create:
		out.Event(progress.Event{Kind: progress.KindService, Name: name, Status: "Creating"})
		r, err := api.ServiceCreate(ctx, spec, swarm.ServiceCreateOptions{EncodedRegistryAuth: auth})
		if err != nil {
			return "", fmt.Errorf("service %s: %w", a.Service.Name, err)
		}
		warnings(out, name, r.Warnings)
		out.Event(progress.Event{Kind: progress.KindService, Name: name, Status: "Created"})
		return r.ID, nil
	case stack.Update:
		out.Event(progress.Event{Kind: progress.KindService, Name: name, Status: "Updating", Detail: a.Reason})
		opts := swarm.ServiceUpdateOptions{EncodedRegistryAuth: auth}
		r, err := api.ServiceUpdate(ctx, a.Observed.ID, a.Observed.Version, spec, opts)
		if err != nil {
			return "", fmt.Errorf("service %s: %w", a.Service.Name, err)
		}
		warnings(out, name, r.Warnings)
		out.Event(progress.Event{Kind: progress.KindService, Name: name, Status: "Updated"})
		return a.Observed.ID, nil
	}
	out.Event(progress.Event{Kind: progress.KindService, Name: name, Status: "Unchanged"})
	return a.Observed.ID, nil
}

func warnings(out progress.Progress, service string, ws []string) {
	for _, w := range ws {
		out.Event(progress.Event{Kind: progress.KindWarning, Detail: "service " + service + ": " + w})
	}
}
