package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"
	"golang.org/x/sync/errgroup"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/progress"
)

// DownOptions mirror `devstack down` flags.
type DownOptions struct {
	Volumes       bool     // -v: also remove the project's named volumes
	RemoveOrphans bool     // remove containers of services the project no longer has
	Known         []string // the project's services; nil when no compose file was loaded (remove all)
	Timeout       *int     // -t: seconds to wait before killing; nil: each container's stop_grace_period
	Images        []string // --rmi: images to remove after the containers (RmiImages)
}

// Down stops and removes the project's containers in reverse dependency
// order (parallel within a level), then its networks, and its named
// volumes only when asked.
func Down(ctx context.Context, api dockerapi.API, project string, o DownOptions, out progress.Progress) error {
	cs, err := ListContainers(ctx, api, project, true) // run's one-off containers too, as compose
	if err != nil {
		return err
	}
	cs, orphans := withoutOrphans(cs, o.Known, o.RemoveOrphans, out)
	inUse := map[string]bool{}
	for _, c := range orphans {
		if c.Summary.NetworkSettings != nil {
			for name := range c.Summary.NetworkSettings.Networks {
				inUse[name] = true
			}
		}
	}
	// Stopping is what needs the order; a stopped container is removed
	// at once, alongside the stops of the services it depended on.
	rm, rmctx := errgroup.WithContext(ctx)
	err = plan.InOrder(ctx, project, cs, true, func(ctx context.Context, c plan.Container) error {
		if err := stopContainer(ctx, api, c, o.Timeout, out); err != nil {
			return err
		}
		rm.Go(func() error { return removeContainer(rmctx, api, c, o.Volumes, out) })
		return nil
	})
	if rerr := rm.Wait(); err == nil {
		err = rerr
	}
	if err != nil {
		return err
	}
	nets, err := api.NetworkList(ctx, network.ListOptions{Filters: projectFilter(project)})
	if err != nil {
		return err
	}
	for _, n := range nets {
		if inUse[n.Name] {
			progress.Warnf(out, "network %s is left in place: orphan containers still use it", n.Name)
			continue
		}
		if err := api.NetworkRemove(ctx, n.ID); err != nil {
			return fmt.Errorf("network %s: %w", n.Name, err)
		}
		progress.Status(out, progress.KindNetwork, n.Name, "Removed")
	}
	if err := removeImages(ctx, api, o.Images, out); err != nil {
		return err
	}
	if !o.Volumes {
		return nil
	}
	vols, err := api.VolumeList(ctx, volume.ListOptions{Filters: projectFilter(project)})
	if err != nil {
		return err
	}
	for _, v := range vols.Volumes {
		if err := api.VolumeRemove(ctx, v.Name, false); err != nil {
			return fmt.Errorf("volume %s: %w", v.Name, err)
		}
		progress.Status(out, progress.KindVolume, v.Name, "Removed")
	}
	return nil
}

// withoutOrphans splits off, with a warning, containers of services the
// project no longer has, unless they are to be removed too.
func withoutOrphans(cs []plan.Container, known []string, removeOrphans bool, out progress.Progress) (kept, orphans []plan.Container) {
	if known == nil || removeOrphans {
		return cs, nil
	}
	ok := map[string]bool{}
	for _, k := range known {
		ok[k] = true
	}
	for _, c := range cs {
		if ok[c.Service] {
			kept = append(kept, c)
			continue
		}
		orphans = append(orphans, c)
		progress.Warnf(out, "found orphan container %s of service %s, not in the project; run with --remove-orphans to remove it", c.Name, c.Service)
	}
	return kept, orphans
}

func stopContainer(ctx context.Context, api dockerapi.API, c plan.Container, timeout *int, out progress.Progress) error {
	if !c.Running() {
		return nil
	}
	progress.Status(out, progress.KindContainer, c.Name, "Stopping")
	if err := api.ContainerStop(ctx, c.ID, container.StopOptions{Timeout: dockerapi.StopTimeout(ctx, api, c.ID, timeout)}); err != nil {
		return containerPlanError(c.Name, err)
	}
	return nil
}

func removeContainer(ctx context.Context, api dockerapi.API, c plan.Container, anonVolumes bool, out progress.Progress) error {
	if err := api.ContainerRemove(ctx, c.ID, container.RemoveOptions{Force: true, RemoveVolumes: anonVolumes}); err != nil {
		if !c.Oneoff || !(errdefs.IsNotFound(err) || errdefs.IsConflict(err)) {
			return containerPlanError(c.Name, err)
		} // a run --rm container the engine removes itself once stopped

	}
	if anonVolumes {
		for _, v := range inheritedVolumes(c) {
			// Gone with the container, or still used by another one: both fine.
			if err := api.VolumeRemove(ctx, v, false); err != nil && !errdefs.IsNotFound(err) && !errdefs.IsConflict(err) {
				return fmt.Errorf("container %s: remove its anonymous volume %s: %w", c.Name, v, err)
			}
		}
	}
	progress.Status(out, progress.KindContainer, c.Name, "Removed")
	return nil
}

// inheritedVolumes names the anonymous volumes c mounts: those a recreate
// handed over from the container it replaced are mounted by name, so the
// engine no longer counts them as c's own and RemoveVolumes leaves them.
func inheritedVolumes(c plan.Container) []string {
	var out []string
	for _, m := range c.Summary.Mounts {
		if m.Type == mount.TypeVolume && anonymousName(m.Name) {
			out = append(out, m.Name)
		}
	}
	return out
}

// anonymousName tells whether a volume name is one the engine made up: 64
// hex digits.
func anonymousName(name string) bool {
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
func Stop(ctx context.Context, api dockerapi.API, project string, services []string, timeout *int, out progress.Progress) error {
	cs, err := selectContainers(ctx, api, project, services)
	if err != nil {
		return err
	}
	return plan.InOrder(ctx, project, cs, true, func(ctx context.Context, c plan.Container) error {
		if !c.Running() {
			return nil
		}
		if err := api.ContainerStop(ctx, c.ID, container.StopOptions{Timeout: dockerapi.StopTimeout(ctx, api, c.ID, timeout)}); err != nil {
			return containerPlanError(c.Name, err)
		}
		progress.Status(out, progress.KindContainer, c.Name, "Stopped")
		return nil
	})
}

// Kill sends SIGKILL to the project's running containers.
func Kill(ctx context.Context, api dockerapi.API, project string, out progress.Progress) error {
	cs, err := ObserveContainers(ctx, api, project)
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

// Start starts the project's existing, stopped containers, dependencies first.
func Start(ctx context.Context, api dockerapi.API, project string, services []string, out progress.Progress) error {
	cs, err := selectContainers(ctx, api, project, services)
	if err != nil {
		return err
	}
	return plan.InOrder(ctx, project, cs, false, func(ctx context.Context, c plan.Container) error {
		if c.Running() {
			return nil
		}
		if err := api.ContainerStart(ctx, c.ID, container.StartOptions{}); err != nil {
			return containerPlanError(c.Name, err)
		}
		progress.Status(out, progress.KindContainer, c.Name, "Started")
		return nil
	})
}

// RestartOptions mirror `devstack restart` flags.
type RestartOptions struct {
	Services []string // none: all
	Timeout  *int     // -t: seconds to wait before killing; nil: each container's stop_grace_period
	NoDeps   bool     // --no-deps: not the dependents that depend on them with restart: true
}

// Restart restarts the project's containers (the named services, and the
// services depending on them with restart: true), dependencies first.
func Restart(ctx context.Context, api dockerapi.API, project string, o RestartOptions, out progress.Progress) error {
	all, err := ObserveContainers(ctx, api, project)
	if err != nil {
		return err
	}
	services := o.Services
	if len(services) > 0 && !o.NoDeps {
		services = plan.WithRestartDependents(plan.ProjectFromLabels(project, all), services)
	}
	cs, err := pickServices(project, all, services)
	if err != nil {
		return err
	}
	timeout := o.Timeout
	err = plan.InOrder(ctx, project, cs, false, func(ctx context.Context, c plan.Container) error {
		if err := api.ContainerRestart(ctx, c.ID, container.StopOptions{Timeout: dockerapi.StopTimeout(ctx, api, c.ID, timeout)}); err != nil {
			return containerPlanError(c.Name, err)
		}
		progress.Status(out, progress.KindContainer, c.Name, "Restarted")
		return nil
	})
	return err
}

// servicesThere names the services that do have containers, for error messages.
func servicesThere(cs []plan.Container) string {
	var names []string
	for _, c := range cs {
		if !slices.Contains(names, c.Service) {
			names = append(names, c.Service)
		}
	}
	if len(names) == 0 {
		return " (it has no containers at all: is it up?)"
	}
	return " (services with containers: " + strings.Join(names, ", ") + ")"
}

// selectContainers lists the project's containers of the named services (all when none named).
func selectContainers(ctx context.Context, api dockerapi.ContainerAPI, project string, services []string) ([]plan.Container, error) {
	cs, err := ObserveContainers(ctx, api, project)
	if err != nil {
		return nil, err
	}
	return pickServices(project, cs, services)
}

// pickServices keeps the containers of the named services (all when none
// named); naming only services without containers is an error.
func pickServices(project string, cs []plan.Container, services []string) ([]plan.Container, error) {
	if len(services) == 0 {
		return cs, nil
	}
	want := map[string]bool{}
	for _, s := range services {
		want[s] = true
	}
	var kept []plan.Container
	for _, c := range cs {
		if want[c.Service] {
			kept = append(kept, c)
		}
	}
	if len(kept) == 0 {
		return nil, fmt.Errorf("%w: project %s has no containers of %s%s", convert.ErrNoContainer, project, strings.Join(services, ", "), servicesThere(cs))
	}
	return kept, nil
}
