package plan

import (
	"context"
	"strings"

	"github.com/compose-spec/compose-go/v2/graph"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/devstack/devstack/internal/convert"
	"golang.org/x/sync/errgroup"
)

// ProjectFromLabels rebuilds the dependency graph of existing containers from
// their depends_on labels, so stop/down work without the compose file.
func ProjectFromLabels(name string, cs []Container) *types.Project {
	p := &types.Project{Name: name, Services: types.Services{}}
	for _, c := range cs {
		p.Services[c.Service] = types.ServiceConfig{Name: c.Service}
	}
	for _, c := range cs {
		s := p.Services[c.Service]
		for _, dep := range strings.Split(c.Labels[convert.LabelDependsOn], ",") {
			dep, cond, _ := strings.Cut(dep, ":")
			if _, ok := p.Services[dep]; !ok || dep == c.Service {
				continue
			}
			cond, restart, _ := strings.Cut(cond, ":")
			if s.DependsOn == nil {
				s.DependsOn = types.DependsOnConfig{}
			}
			s.DependsOn[dep] = types.ServiceDependency{Condition: cond, Required: true, Restart: restart == "true"}
		}
		p.Services[c.Service] = s
	}
	return p
}

// InOrder runs fn on every container, service by service in dependency
// order (reverse: dependents first), containers of one service in parallel.
func InOrder(ctx context.Context, project string, cs []Container, reverse bool, fn func(context.Context, Container) error) error {
	byService := map[string][]Container{}
	for _, c := range cs {
		byService[c.Service] = append(byService[c.Service], c)
	}
	var opts []func(*graph.Options)
	if reverse {
		opts = append(opts, graph.InReverseOrder)
	}
	return graph.InDependencyOrder(ctx, ProjectFromLabels(project, cs), func(ctx context.Context, name string, _ types.ServiceConfig) error {
		eg, ctx := errgroup.WithContext(ctx)
		for _, c := range byService[name] {
			eg.Go(func() error { return fn(ctx, c) })
		}
		return eg.Wait()
	}, opts...)
}

// WithRestartDependents adds to the named services, transitively, those
// whose depends_on says restart: true for one of them: compose restarts
// them too.
func WithRestartDependents(p *types.Project, services []string) []string {
	out := append([]string(nil), services...)
	in := map[string]bool{}
	for _, s := range services {
		in[s] = true
	}
	for changed := true; changed; {
		changed = false
		for _, name := range p.ServiceNames() {
			if in[name] {
				continue
			}
			for dep, d := range p.Services[name].DependsOn {
				if d.Restart && in[dep] {
					in[name], changed = true, true
					out = append(out, name)
					break
				}
			}
		}
	}
	return out
}
