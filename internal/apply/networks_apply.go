package apply

import (
	"context"
	"fmt"

	"github.com/containerd/errdefs"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/progress"

	"github.com/docker/docker/api/types/container"
	"golang.org/x/sync/errgroup"
)

func (a *applier) createNetwork(ctx context.Context, act plan.Action) error {
	opts := convert.NetworkCreate(a.p, act.Reason, a.apiVersion)
	if _, err := a.api.NetworkCreate(ctx, act.Name, opts); err != nil {
		if !errdefs.IsConflict(err) { // newer engines refuse a second network of a name
			return fmt.Errorf("network %s: %w", act.Name, err)
		}
	} else {
		progress.Status(a.out, progress.KindNetwork, act.Name, "Created")
	}
	a.dedupeNetwork(ctx, act.Name)
	return nil
}

// recreateNetworks replaces the networks whose config changed, as compose
// does: the project's running containers on one are stopped (the plan
// recreates them onto the new network), then it is removed and created
// again. A container of another project still on it makes the removal
// fail, naming the network.
func (a *applier) recreateNetworks(ctx context.Context, pl plan.Plan) error {
	for _, act := range pl.Actions {
		if act.Op != plan.RecreateNetwork {
			continue
		}
		eg, ectx := errgroup.WithContext(ctx)
		eg.SetLimit(dockerapi.Parallelism)
		for _, c := range pl.Actions {
			if c.Current == nil || !c.Current.Running() {
				continue
			}
			if s := a.p.Services[c.Service]; s.NetworkMode != "" || !hasNetwork(s.Networks, act.Reason) {
				continue
			}
			eg.Go(func() error {
				if err := a.api.ContainerStop(ectx, c.Current.ID, container.StopOptions{Timeout: dockerapi.StopTimeout(ectx, a.api, c.Current.ID, nil)}); err != nil {
					return containers.NamedError(c.Name, err)
				}
				a.out.Event(progress.Event{Kind: progress.KindContainer, Name: c.Name, Status: "Stopped", Detail: "network " + act.Reason + " changed"})
				return nil
			})
		}
		if err := eg.Wait(); err != nil {
			return err
		}
		if err := a.removeChangedNetwork(ctx, pl, act.Name); err != nil {
			return fmt.Errorf("network %s changed and must be recreated, but: %w", act.Name, err)
		}
		a.out.Event(progress.Event{Kind: progress.KindNetwork, Name: act.Name, Status: "Removed", Detail: "config changed"})
		if err := a.createNetwork(ctx, act); err != nil {
			return err
		}
	}
	return nil
}

// removeChangedNetwork removes a network whose containers of the project
// are stopped. Podman refuses while stopped containers are still attached
// ("has associated containers"), where Docker does not: then they are
// disconnected (the plan recreates them) and the removal is tried again.
func (a *applier) removeChangedNetwork(ctx context.Context, pl plan.Plan, name string) error {
	err := a.api.NetworkRemove(ctx, name)
	if err == nil {
		return nil
	}
	for _, c := range pl.Actions {
		if c.Current != nil {
			_ = a.api.NetworkDisconnect(ctx, name, c.Current.ID, true) // not on it: nothing to do
		}
	}
	if a.api.NetworkRemove(ctx, name) != nil {
		return err
	}
	return nil
}

func hasNetwork[T any](nets map[string]T, key string) bool {
	_, ok := nets[key]
	return ok
}
