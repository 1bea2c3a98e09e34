package containers

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/progress"
)

// StopOne stops container c when it runs (timeout: as StopTimeout says).
func StopOne(ctx context.Context, api dockerapi.Stopper, c plan.Container, timeout *int, out progress.Progress) error {
	if !c.Running() {
		return nil
	}
	progress.Status(out, progress.KindContainer, c.Name, "Stopping")
	if err := api.ContainerStop(ctx, c.ID, container.StopOptions{Timeout: dockerapi.StopTimeout(ctx, api, c.ID, timeout)}); err != nil {
		return NamedError(c.Name, err)
	}
	return nil
}

// RemoveOne removes container c, with its anonymous volumes when
// anonVolumes (those a recreate handed over too).
func RemoveOne(ctx context.Context, api dockerapi.API, c plan.Container, anonVolumes bool, out progress.Progress) error {
	if err := api.ContainerRemove(ctx, c.ID, container.RemoveOptions{Force: true, RemoveVolumes: anonVolumes}); err != nil {
		if !c.Oneoff || !(errdefs.IsNotFound(err) || errdefs.IsConflict(err)) {
			return NamedError(c.Name, err)
		} // a run --rm container the engine removes itself once stopped

	}
	if anonVolumes {
		for _, v := range InheritedVolumes(c) {
			// Gone with the container, or still used by another one: both fine.
			if err := api.VolumeRemove(ctx, v, false); err != nil && !errdefs.IsNotFound(err) && !errdefs.IsConflict(err) {
				return fmt.Errorf("container %s: remove its anonymous volume %s: %w", c.Name, v, err)
			}
		}
	}
	progress.Status(out, progress.KindContainer, c.Name, "Removed")
	return nil
}

// InheritedVolumes names the anonymous volumes c mounts: those a recreate
// handed over from the container it replaced are mounted by name, so the
// engine no longer counts them as c's own and RemoveVolumes leaves them.
func InheritedVolumes(c plan.Container) []string {
	var out []string
	for _, m := range c.Summary.Mounts {
		if m.Type == mount.TypeVolume && AnonymousName(m.Name) {
			out = append(out, m.Name)
		}
	}
	return out
}

// AnonymousName tells whether a volume name is one the engine made up: 64
// hex digits.
func AnonymousName(name string) bool {
	if len(name) != 64 {
		return false
	}
	for _, r := range name {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}

// Stop stops the project's running containers, dependents first.
func Stop(ctx context.Context, api dockerapi.Stopper, project string, services []string, timeout *int, out progress.Progress) error {
	cs, err := Select(ctx, api, project, services)
	if err != nil {
		return err
	}
	return plan.InOrder(ctx, project, cs, true, func(ctx context.Context, c plan.Container) error {
		if !c.Running() {
			return nil
		}
		if err := api.ContainerStop(ctx, c.ID, container.StopOptions{Timeout: dockerapi.StopTimeout(ctx, api, c.ID, timeout)}); err != nil {
			return NamedError(c.Name, err)
		}
		progress.Status(out, progress.KindContainer, c.Name, "Stopped")
		return nil
	})
}

// Kill sends SIGKILL to the project's running containers.
func Kill(ctx context.Context, api dockerapi.ContainerAPI, project string, out progress.Progress) error {
	cs, err := Observe(ctx, api, project)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.Running() {
			if err := api.ContainerKill(ctx, c.ID, "KILL"); err == nil {
				progress.Status(out, progress.KindContainer, c.Name, "Killed")
			}
		}
	}
	return nil
}

// DependencyWait blocks until the container dep meets the depends_on
// condition the waiting service asks of it (apply.DependencyWaiter).
type DependencyWait func(ctx context.Context, service string, dep plan.Container, condition string) error

// Start starts the project's existing, stopped containers, dependencies
// first; with wait, a container starts once its dependencies meet their
// depends_on conditions (service_healthy, service_completed_successfully),
// as compose's start.
func Start(ctx context.Context, api dockerapi.ContainerAPI, project string, services []string, wait DependencyWait, out progress.Progress) error {
	all, err := Observe(ctx, api, project)
	if err != nil {
		return err
	}
	cs, err := Pick(project, all, services)
	if err != nil {
		return err
	}
	deps := plan.ProjectFromLabels(project, all)
	return plan.InOrder(ctx, project, cs, false, func(ctx context.Context, c plan.Container) error {
		if c.Running() {
			return nil
		}
		if wait != nil {
			if err := waitDependencies(ctx, deps.Services[c.Service], all, wait); err != nil {
				return err
			}
		}
		if err := api.ContainerStart(ctx, c.ID, container.StartOptions{}); err != nil {
			return NamedError(c.Name, err)
		}
		progress.Status(out, progress.KindContainer, c.Name, "Started")
		return nil
	})
}

// waitDependencies waits for each of s's dependencies with a condition
// beyond service_started.
func waitDependencies(ctx context.Context, s types.ServiceConfig, all []plan.Container, wait DependencyWait) error {
	for _, name := range slices.Sorted(maps.Keys(s.DependsOn)) {
		cond := s.DependsOn[name].Condition
		if cond == "" || cond == types.ServiceConditionStarted {
			continue
		}
		for _, d := range all {
			if d.Service == name && !d.Oneoff {
				if err := wait(ctx, s.Name, d, cond); err != nil {
					return fmt.Errorf("service %s depends on %s: %w", s.Name, name, err)
				}
			}
		}
	}
	return nil
}

// RestartOptions mirror `devstack restart` flags.
type RestartOptions struct {
	Services []string // none: all
	Timeout  *int     // -t: seconds to wait before killing; nil: each container's stop_grace_period
	NoDeps   bool     // --no-deps: not the dependents that depend on them with restart: true
	// Wait, when set, holds a container's restart until those of its
	// dependencies restarted with it that it depends on with restart: true
	// meet their depends_on conditions, as compose's restart.
	Wait DependencyWait
}

// Restart restarts the project's containers (the named services, and the
// services depending on them with restart: true), dependencies first; with
// o.Wait, a dependent restarts once those dependencies meet their
// conditions again.
func Restart(ctx context.Context, api dockerapi.Stopper, project string, o RestartOptions, out progress.Progress) error {
	all, err := Observe(ctx, api, project)
	if err != nil {
		return err
	}
	deps := plan.ProjectFromLabels(project, all)
	services := o.Services
	if len(services) > 0 && !o.NoDeps {
		services = plan.WithRestartDependents(deps, services)
	}
	cs, err := Pick(project, all, services)
	if err != nil {
		return err
	}
	restarted := map[string]bool{}
	for _, c := range cs {
		restarted[c.Service] = true
	}
	timeout := o.Timeout
	err = plan.InOrder(ctx, project, cs, false, func(ctx context.Context, c plan.Container) error {
		if o.Wait != nil {
			if err := waitDependencies(ctx, restartDependencies(deps.Services[c.Service], restarted), all, o.Wait); err != nil {
				return err
			}
		}
		if err := api.ContainerRestart(ctx, c.ID, container.StopOptions{Timeout: dockerapi.StopTimeout(ctx, api, c.ID, timeout)}); err != nil {
			return NamedError(c.Name, err)
		}
		progress.Status(out, progress.KindContainer, c.Name, "Restarted")
		return nil
	})
	return err
}

// restartDependencies is s with only the depends_on entries restart waits
// for: restart: true, on a service restarted too (compose's restart drops
// the others). Pure.
func restartDependencies(s types.ServiceConfig, restarted map[string]bool) types.ServiceConfig {
	keep := types.DependsOnConfig{}
	for name, d := range s.DependsOn {
		if d.Restart && restarted[name] {
			keep[name] = d
		}
	}
	s.DependsOn = keep
	return s
}
