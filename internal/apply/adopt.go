package apply

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/progress"
)

// Creation that is safe against other clients (docker compose, devstack on
// another machine) creating the same project at the same time, which the
// project lock of one machine does not cover.

// dedupeNetwork removes the copies of a network that a concurrent create
// made beside ours: the engine lets two networks share a name, and every
// later use of the name then fails as ambiguous. The oldest stays. A copy
// that cannot go (another client's container is on it already) stays too:
// then the containers join the oldest by its ID (useNetwork).
func (a *applier) dedupeNetwork(ctx context.Context, name string) {
	list, err := a.api.NetworkList(ctx, network.ListOptions{Filters: filters.NewArgs(
		filters.Arg("name", name), filters.Arg("label", convert.LabelProject+"="+a.p.Name))})
	if err != nil {
		return // the create worked; a failed check is no reason to fail up
	}
	extra := extraNetworks(list, name)
	var kept []string
	var why error
	for _, id := range extra {
		if err := a.api.NetworkRemove(ctx, id); err != nil && !errdefs.IsNotFound(err) {
			kept, why = append(kept, shortID(id)), err
			continue
		}
		a.out.Event(progress.Event{Kind: progress.KindNetwork, Name: name, Status: "Removed", Detail: "duplicate " + shortID(id) + " created concurrently"})
	}
	if len(kept) > 0 {
		a.useNetwork(name, oldestNetwork(list, name), len(kept)+1, strings.Join(kept, ", "), why)
	}
}

// useNetwork makes the containers created from now on join the network
// id where its name is ambiguous (pinNetworks), and says so once.
func (a *applier) useNetwork(name, id string, count int, kept string, why error) {
	a.mu.Lock()
	said := a.netIDs[name] == id
	if a.netIDs == nil {
		a.netIDs = map[string]string{}
	}
	a.netIDs[name] = id
	a.mu.Unlock()
	if !said {
		progress.Warnf(a.out, "network %s exists %d times (another client created it at the same time) and the copy %s could not be removed (%v): the containers join the oldest, %s", name, count, kept, why, shortID(id))
	}
}

// pinNetworks names, in the spec's endpoints, the network to join by its
// ID where its name is ambiguous: the engine then takes that one.
func (a *applier) pinNetworks(spec *convert.Spec) {
	a.mu.Lock()
	defer a.mu.Unlock()
	pin := func(name string, ep *network.EndpointSettings) {
		if id := a.netIDs[name]; id != "" && ep != nil {
			ep.NetworkID = id
		}
	}
	if spec.Network != nil {
		for name, ep := range spec.Network.EndpointsConfig {
			pin(name, ep)
		}
	}
	for name, ep := range spec.Connects {
		pin(name, ep)
	}
}

// oldestNetwork is the ID of the network of this name that stays.
func oldestNetwork(list []network.Summary, name string) string {
	same := sameName(list, name)
	if len(same) == 0 {
		return ""
	}
	return same[0].ID
}

// extraNetworks names the networks of exactly this name beyond the oldest
// (the name filter matches substrings).
func extraNetworks(list []network.Summary, name string) []string {
	same := sameName(list, name)
	if len(same) < 2 {
		return nil
	}
	ids := make([]string, 0, len(same)-1)
	for _, n := range same[1:] {
		ids = append(ids, n.ID)
	}
	return ids
}

// sameName lists the networks of exactly this name, oldest first. Ties
// in creation time go to the smaller ID, so every client racing keeps the
// same one.
func sameName(list []network.Summary, name string) []network.Summary {
	var same []network.Summary
	for _, n := range list {
		if n.Name == name {
			same = append(same, n)
		}
	}
	sort.Slice(same, func(i, j int) bool { return olderNetwork(same[i], same[j]) })
	return same
}

func olderNetwork(a, b network.Summary) bool {
	if !a.Created.Equal(b.Created) {
		return a.Created.Before(b.Created)
	}
	return a.ID < b.ID
}

// createRacing creates a container; when the name is taken it adopts the
// container another client just made for the same replica and config
// (adoptConflict). When that one is gone again by the time we look (its
// creation failed, e.g. on a duplicate network being removed), or the
// network's name is briefly ambiguous, it tries again a few times.
func (a *applier) createRacing(ctx context.Context, spec convert.Spec, service string, number int, hash string, fresh bool) (id string, adopted *plan.Container, warnings []string, err error) {
	for attempt := 1; ; attempt++ {
		resp, err := a.api.ContainerCreate(ctx, spec.Config, spec.Host, spec.Network, spec.Platform, spec.Name)
		if err == nil {
			return resp.ID, nil, resp.Warnings, nil
		}
		if !fresh || attempt == 5 {
			return "", nil, nil, err
		}
		switch {
		case errdefs.IsConflict(err):
			if c, ok := a.adoptConflict(ctx, spec.Name, service, number, hash); ok {
				return c.ID, &c, nil, nil
			}
			if _, ierr := a.api.ContainerInspect(ctx, spec.Name); !errdefs.IsNotFound(ierr) {
				return "", nil, nil, err // someone else's container, or not ours to take
			}
		case errdefs.IsNotFound(err), errdefs.IsInvalidArgument(err): // a network removed or ambiguous under us
		default:
			return "", nil, nil, err
		}
		select {
		case <-ctx.Done():
			return "", nil, nil, ctx.Err()
		case <-time.After(time.Duration(attempt) * 100 * time.Millisecond):
		}
	}
}

// startRacing starts a container, trying again a few times while its
// network's name is ambiguous: another client created a copy of the
// network, which its creator removes (dedupeNetwork) a moment later.
func startRacing(ctx context.Context, api dockerapi.ContainerAPI, id string) error {
	for attempt := 1; ; attempt++ {
		err := api.ContainerStart(ctx, id, container.StartOptions{})
		if err == nil || attempt == 5 || !errdefs.IsInvalidArgument(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt) * 100 * time.Millisecond):
		}
	}
}

// adoptConflict takes over the container that holds the name ours was to
// get when another client just created it for the same service, replica
// and config: what we would have made. Anything else stays an error.
func (a *applier) adoptConflict(ctx context.Context, name, service string, number int, hash string) (plan.Container, bool) {
	c, err := a.api.ContainerInspect(ctx, name)
	if err != nil || c.Config == nil || c.State == nil {
		return plan.Container{}, false
	}
	if !sameReplica(c.Config.Labels, a.p.Name, service, number, hash) {
		return plan.Container{}, false
	}
	return plan.Container{ID: c.ID, Name: strings.TrimPrefix(c.Name, "/"), Service: service, Number: number, State: c.State.Status, Hash: hash, Labels: c.Config.Labels}, true
}

// sameReplica tells whether a container's labels say it is replica number
// of service in project with this config hash (not a one-off).
func sameReplica(labels map[string]string, project, service string, number int, hash string) bool {
	return labels[convert.LabelProject] == project && labels[convert.LabelService] == service &&
		labels[convert.LabelNumber] == strconv.Itoa(number) && labels[convert.LabelConfigHash] == hash &&
		!strings.EqualFold(labels[convert.LabelOneoff], "true")
}
