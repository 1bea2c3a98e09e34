package routerctl

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"golang.org/x/sync/errgroup"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/router"
)

// The router reaches a project on a network of its own, never on the
// project's networks: PROJECT-devstack-router, an internal bridge (no way
// out through it) that the router and the project's running containers
// join. The router answers every name of the project there as a network
// alias, so containers reach the same URLs as the browser. The project's
// own networks then have no endpoint but the project's containers, and
// docker compose down (or docker network rm) of the project removes them
// as it would without devstack. What stays after such a down is the
// router's network, with the router on it: devstack down or router stop
// removes it, and the next up uses it again.

// ProjectLabel marks a router network with its project.
const ProjectLabel = Label + ".project"

// NetworkName is the router's network of project (with "-": a network of
// the compose file is PROJECT_KEY, so none is named so).
func NetworkName(project string) string { return project + "-" + Name }

// ensureNetwork makes the project's router network unless the router is
// on it already (then it exists): internal (see internalNetwork).
func ensureNetwork(ctx context.Context, api dockerapi.API, r Router, p *types.Project) error {
	project := p.Name
	name := NetworkName(project)
	if slices.Contains(r.Networks, name) {
		return nil
	}
	list, err := api.NetworkList(ctx, network.ListOptions{Filters: filters.NewArgs(filters.Arg("label", ProjectLabel+"="+project))})
	if err != nil {
		return err
	}
	for _, n := range list {
		if n.Name == name {
			return nil
		}
	}
	_, err = api.NetworkCreate(ctx, name, network.CreateOptions{
		Driver: "bridge", Internal: internalNetwork(ctx, api, p),
		Labels: map[string]string{Label: "1", ProjectLabel: project},
	})
	if err != nil && !errdefs.IsConflict(err) && !strings.Contains(err.Error(), "already exists") {
		return fmt.Errorf("creating network %s: %w", name, err)
	}
	return nil
}

// internalNetwork says whether the project's router network is internal.
// On Docker it is: the engine accepts the traffic inside an internal bridge
// itself (its FORWARD rules). On Podman 4 (netavark) an internal network
// gets no firewall rules at all, so its traffic passes only where the host
// forwards bridged packets anyway; where bridge netfilter is on and the
// FORWARD policy drops (Docker on the same host sets both) the router
// could not reach a single service. A plain bridge gets Podman's own
// ACCEPT rules for its subnet, so on Podman the router's network is one,
// unless the project has an internal network of its own: a project kept
// from the outside must not get a way out through the router's network
// (then it is internal there too, and works where the host forwards).
func internalNetwork(ctx context.Context, api dockerapi.StopProbe, p *types.Project) bool {
	if !dockerapi.OnPodman(ctx, api) {
		return true
	}
	for _, n := range p.Networks {
		if n.Internal {
			return true
		}
	}
	return false
}

// joinRouter puts the router on the project's network with the
// project's names as aliases (again when the names changed), and takes it
// off networks an older devstack joined it to (the project's own).
func joinRouter(ctx context.Context, api dockerapi.NetworkAPI, r Router, st router.State, old router.State) error {
	net := NetworkName(st.Project)
	for _, n := range old.Networks {
		if n != net && slices.Contains(r.Networks, n) {
			if err := api.NetworkDisconnect(ctx, n, Name, true); err != nil && !errdefs.IsNotFound(err) {
				return fmt.Errorf("router leaving network %s: %w", n, err)
			}
		}
	}
	names := hosts(st)
	on := slices.Contains(r.Networks, net)
	if on && subset(names, r.Aliases[net]) && subset(hosts(old), names) {
		return nil // (an alias no longer a name stays until the names change)
	}
	if on {
		if err := api.NetworkDisconnect(ctx, net, Name, true); err != nil && !errdefs.IsNotFound(err) {
			return fmt.Errorf("router leaving network %s: %w", net, err)
		}
	}
	if err := api.NetworkConnect(ctx, net, Name, &network.EndpointSettings{Aliases: names}); err != nil {
		return fmt.Errorf("router joining network %s: %w", net, err)
	}
	return nil
}

// joinContainers puts the project's running containers that are not on
// its router network yet on it (one that shares another's network
// namespace, the host's or none, cannot join: it has no URL either).
// Up to 8 at once: each is a round trip of the engine's.
func joinContainers(ctx context.Context, api dockerapi.NetworkAPI, project string, cs []plan.Container) error {
	net := NetworkName(project)
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for _, c := range cs {
		if !c.Running() || c.Oneoff || !joinable(c) {
			continue
		}
		if ns := c.Summary.NetworkSettings; ns != nil && ns.Networks[net] != nil {
			continue
		}
		g.Go(func() error {
			if err := api.NetworkConnect(ctx, net, c.ID, &network.EndpointSettings{}); err != nil && !errdefs.IsPermissionDenied(err) {
				return fmt.Errorf("%s joining the router's network: %w", c.Name, err)
			}
			return nil
		})
	}
	return g.Wait()
}

func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

func joinable(c plan.Container) bool {
	m := c.Summary.HostConfig.NetworkMode
	return m != "host" && m != "none" && !strings.HasPrefix(m, "container:")
}

// leave takes the router and every container off the project's router
// network and removes it. A network that is gone already: nothing.
func leave(ctx context.Context, api netAPI, project string) error {
	net := NetworkName(project)
	list, err := api.NetworkList(ctx, network.ListOptions{Filters: filters.NewArgs(filters.Arg("label", ProjectLabel+"="+project))})
	if err != nil {
		return err
	}
	for _, n := range list {
		if n.Name != net {
			continue
		}
		return removeNetwork(ctx, api, n)
	}
	return nil
}

// netAPI: networks, and the containers on one.
type netAPI interface {
	dockerapi.NetworkAPI
	dockerapi.ContainerAPI
}

// removeNetwork disconnects what is on n (a network list does not say:
// a container list filtered by it does) and removes it.
func removeNetwork(ctx context.Context, api netAPI, n network.Summary) error {
	on, err := api.ContainerList(ctx, container.ListOptions{All: true, Filters: filters.NewArgs(filters.Arg("network", n.ID))})
	if err != nil {
		return err
	}
	for _, c := range on {
		if err := api.NetworkDisconnect(ctx, n.ID, c.ID, true); err != nil && !errdefs.IsNotFound(err) {
			return fmt.Errorf("leaving network %s: %w", n.Name, err)
		}
	}
	if err := api.NetworkRemove(ctx, n.ID); err != nil && !errdefs.IsNotFound(err) {
		return fmt.Errorf("removing network %s: %w", n.Name, err)
	}
	return nil
}
