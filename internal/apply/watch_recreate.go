package apply

import (
	"context"
	"fmt"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/progress"
)

// RebuildService builds the service's image again (classic builder, the
// context honouring .dockerignore) and recreates the service's containers
// when the image changed, as `up --build --no-deps SERVICE` would: services
// that depend on it keep running. It returns whether containers were
// recreated.
func RebuildService(ctx context.Context, api dockerapi.API, p *types.Project, name string, o ImageOptions, out progress.Progress) (bool, error) {
	DefaultImageNames(p)
	s, ok := p.Services[name]
	if !ok {
		return false, fmt.Errorf("%w: service %s is not in project %s", convert.ErrNoContainer, name, p.Name)
	}
	if s.Build == nil {
		return false, fmt.Errorf("%w: service %s has no build section to rebuild from", ErrBuildFailed, name)
	}
	if err := Build(ctx, api, p, s, o, out); err != nil {
		return false, err
	}
	return RecreateService(ctx, api, p, name, out)
}

// RecreateService replaces the service's containers whose image or config
// differs from the project's, and starts any that are stopped; other
// services are left alone. It returns whether containers were recreated.
func RecreateService(ctx context.Context, api dockerapi.API, p *types.Project, name string, out progress.Progress) (bool, error) {
	DefaultImageNames(p)
	s := p.Services[name]
	inspect, err := api.ImageInspect(ctx, s.Image)
	if err != nil {
		return false, fmt.Errorf("%w: service %s: image %s: %v", ErrImageUnavailable, name, s.Image, err)
	}
	files, err := ServiceFiles(p, s)
	if err != nil {
		return false, err
	}
	cs, err := containers.Observe(ctx, api, p.Name)
	if err != nil {
		return false, err
	}
	var have []plan.Container
	for _, c := range cs {
		if c.Service == name {
			have = append(have, c)
		}
	}
	pl := plan.Plan{Actions: plan.ServiceActions(p.Name, s, have, inspect.ID, convert.ConfigHash(convert.ResolvedService(s, plan.Refs(plan.ByService(cs))), files), plan.PlanOptions{})}
	a := &applier{
		api: api, p: p, out: out,
		imageIDs: map[string]string{name: inspect.ID}, files: map[string][]convert.File{name: files},
		current: map[string][]plan.Container{}, start: map[string][]plan.Container{},
		apiVersion: dockerapi.APIVersion(api), observed: cs, proxyEnv: dockerapi.ProxyEnv(dockerapi.DaemonHost(api)),
	}
	if err := a.each(ctx, pl, a.resource, plan.RemoveContainer); err != nil {
		return false, err
	}
	if err := a.each(ctx, pl, a.container, plan.CreateContainer, plan.RecreateContainer, plan.StartContainer); err != nil {
		return false, err
	}
	recreated := false
	for _, act := range pl.Actions {
		recreated = recreated || act.Op == plan.RecreateContainer || act.Op == plan.CreateContainer
	}
	return recreated, a.startService(ctx, name)
}
