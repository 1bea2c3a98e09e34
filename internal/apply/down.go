package apply

import (
	"context"
	"fmt"

	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"
	"golang.org/x/sync/errgroup"

	"github.com/devstack/devstack/internal/containers"
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
	cs, err := containers.List(ctx, api, project, true) // run's one-off containers too, as compose
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
		if err := containers.StopOne(ctx, api, c, o.Timeout, out); err != nil {
			return err
		}
		rm.Go(func() error { return containers.RemoveOne(rmctx, api, c, o.Volumes, out) })
		return nil
	})
	if rerr := rm.Wait(); err == nil {
		err = rerr
	}
	if err != nil {
		return err
	}
	nets, err := api.NetworkList(ctx, network.ListOptions{Filters: containers.ProjectFilter(project)})
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
	vols, err := api.VolumeList(ctx, volume.ListOptions{Filters: containers.ProjectFilter(project)})
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
