package deploy

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/swarm"

	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/stack"
)

// tasksGone is how long a removal waits for a removed service's tasks to
// go, so that its networks can be removed after it.
const tasksGone = 60 * time.Second

// Remove removes the stack: its services (waiting until their tasks are
// gone), then its networks, secrets and configs, as `docker stack rm`.
// Named volumes stay (they live on each node, as with docker stack).
func Remove(ctx context.Context, api API, ns string, out progress.Progress) error {
	if err := ensureManager(ctx, api); err != nil {
		return err
	}
	o, err := Observe(ctx, api, ns)
	if err != nil {
		return err
	}
	if o.Empty() {
		return fmt.Errorf("%w: %s", ErrNoStack, ns)
	}
	var ids []string
	for _, s := range o.Services {
		ids = append(ids, s.ID)
		out.Event(progress.Event{Kind: progress.KindService, Name: s.Spec.Name, Status: "Removing"})
	}
	if err := removeServices(ctx, api, ns, ids); err != nil {
		return err
	}
	for _, s := range o.Services {
		out.Event(progress.Event{Kind: progress.KindService, Name: s.Spec.Name, Status: "Removed"})
	}
	var errs []error
	for _, n := range o.Networks {
		if err := removeNetwork(ctx, api, n.ID); err != nil {
			errs = append(errs, fmt.Errorf("network %s: %w", n.Name, err))
			continue
		}
		out.Event(progress.Event{Kind: progress.KindNetwork, Name: n.Name, Status: "Removed"})
	}
	errs = append(errs, secretKind(api, o, nil).removeAll(ctx, out)...)
	errs = append(errs, configKind(api, o, nil).removeAll(ctx, out)...)
	return errors.Join(errs...)
}

// prune removes the services the plan found on the swarm but not in the
// project.
func prune(ctx context.Context, api API, ns string, plan stack.Plan, out progress.Progress) error {
	var ids []string
	for _, a := range plan.Actions {
		if a.Kind == stack.Prune {
			ids = append(ids, a.Observed.ID)
			out.Event(progress.Event{Kind: progress.KindService, Name: a.Observed.Name, Status: "Removing", Detail: a.Reason})
		}
	}
	if len(ids) == 0 {
		return nil
	}
	if err := removeServices(ctx, api, ns, ids); err != nil {
		return err
	}
	for _, a := range plan.Actions {
		if a.Kind == stack.Prune {
			out.Event(progress.Event{Kind: progress.KindService, Name: a.Observed.Name, Status: "Removed"})
		}
	}
	return nil
}

// removeServices removes the services of stack ns and waits until their
// tasks have stopped (their containers stopped on every node), so that the
// networks can go after them.
func removeServices(ctx context.Context, api API, ns string, ids []string) error {
	gone := map[string]bool{}
	for _, id := range ids {
		if err := api.ServiceRemove(ctx, id); err != nil && !errdefs.IsNotFound(err) {
			return err
		}
		gone[id] = true
	}
	deadline := time.Now().Add(tasksGone)
	for {
		tasks, err := api.TaskList(ctx, swarm.TaskListOptions{Filters: stackFilter(ns)})
		if err != nil {
			return err
		}
		left := 0
		for _, t := range tasks {
			if gone[t.ServiceID] && !Terminal(t.Status.State) {
				left++
			}
		}
		if left == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d tasks of the removed services still running after %v", left, tasksGone)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pollEvery):
		}
	}
}

// removeNetwork removes a network, retrying while the engine still has
// endpoints of just-removed tasks on it.
func removeNetwork(ctx context.Context, api API, id string) error {
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := api.NetworkRemove(ctx, id)
		if err == nil || errdefs.IsNotFound(err) {
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pollEvery):
		}
	}
}
