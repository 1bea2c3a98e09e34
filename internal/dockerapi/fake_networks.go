package dockerapi

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
)

// network finds a network by ID, name or unique ID prefix. The caller
// holds f.mu.
func (f *FakeClient) network(ref string) *network.Inspect {
	n, _ := byIDOrName(f.networks, ref, func(n *network.Inspect) string { return n.Name })
	return n
}

// networkRef resolves a network reference as the engine does: a name two
// networks share (another client created a copy) is ambiguous.
func (f *FakeClient) networkRef(ref string) (*network.Inspect, error) {
	if n := f.networks[ref]; n != nil {
		return n, nil
	}
	same := 0
	for _, n := range f.networks {
		if n.Name == ref {
			same++
		}
	}
	if same > 1 {
		return nil, invalid("network %s is ambiguous (%d matches found on name)", ref, same)
	}
	if n := f.network(ref); n != nil {
		return n, nil
	}
	return nil, notFound("network %s not found", ref)
}

// AddNetwork makes a network with these labels even when its name is
// taken, as an engine before 25.0 does for a client that skips its
// duplicate check, or for two clients creating at once; it returns the ID.
func (f *FakeClient) AddNetwork(name string, labels map[string]string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.addNetwork(name, network.CreateOptions{Labels: labels}).ID
}

// addNetwork makes a network; without an IPAM config it gets the next
// 172.x.0.0/16, as the engine's default pools hand them out.
func (f *FakeClient) addNetwork(name string, o network.CreateOptions) *network.Inspect {
	if o.Driver == "" {
		o.Driver = "bridge"
	}
	n := &network.Inspect{Name: name, ID: f.newID("network"), Created: f.now(), Scope: "local", Driver: o.Driver,
		EnableIPv4: true, Internal: o.Internal, Attachable: o.Attachable, Options: o.Options, Labels: o.Labels,
		Containers: map[string]network.EndpointResource{}}
	if n.Labels == nil {
		n.Labels = map[string]string{}
	}
	if o.EnableIPv6 != nil {
		n.EnableIPv6 = *o.EnableIPv6
	}
	n.IPAM = network.IPAM{Driver: "default"}
	if o.IPAM != nil {
		n.IPAM = *o.IPAM
	}
	if len(n.IPAM.Config) == 0 && o.Driver == "bridge" {
		k := 17 + f.pools // bridge is 172.17
		f.pools++
		n.IPAM.Config = []network.IPAMConfig{{Subnet: fmt.Sprintf("172.%d.0.0/16", k), Gateway: fmt.Sprintf("172.%d.0.1", k)}}
	}
	f.networks[n.ID] = n
	return n
}

// assignAddress gives a running container's endpoint its address on the
// network: the one asked for, else the next free one.
func (f *FakeClient) assignAddress(ep *network.EndpointSettings) {
	n := f.networks[ep.NetworkID]
	if n == nil || len(n.IPAM.Config) == 0 {
		return
	}
	cfg := n.IPAM.Config[0]
	prefix, _, _ := strings.Cut(cfg.Subnet, ".0.0/")
	ep.Gateway, ep.IPPrefixLen, ep.EndpointID = cfg.Gateway, 16, f.newID("endpoint")
	if ep.IPAMConfig != nil && ep.IPAMConfig.IPv4Address != "" {
		ep.IPAddress = ep.IPAMConfig.IPv4Address
		return
	}
	used := map[string]bool{}
	for _, c := range f.containers {
		for _, other := range c.NetworkSettings.Networks {
			if other.NetworkID == n.ID {
				used[other.IPAddress] = true
			}
		}
	}
	for i := 2; ; i++ {
		ip := fmt.Sprintf("%s.%d.%d", prefix, i/256, i%256)
		if !used[ip] {
			ep.IPAddress = ip
			return
		}
	}
}

// NetworkCreate creates a network; a name in use is a conflict, as newer
// engines answer.
func (f *FakeClient) NetworkCreate(_ context.Context, name string, o network.CreateOptions) (network.CreateResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("NetworkCreate", name); err != nil {
		return network.CreateResponse{}, err
	}
	for _, n := range f.networks {
		if n.Name == name {
			return network.CreateResponse{}, conflict("network with name %s already exists", name)
		}
	}
	n := f.addNetwork(name, clone(o))
	f.emit(events.NetworkEventType, events.ActionCreate, n.ID, map[string]string{"name": n.Name, "type": n.Driver})
	return network.CreateResponse{ID: n.ID}, nil
}

var networkFilters = map[string]bool{"dangling": true, "driver": true, "id": true, "label": true, "name": true, "scope": true, "type": true}

// NetworkList lists the networks, oldest first, filtered by name (a
// substring), id, label, driver, scope and type (builtin or custom).
func (f *FakeClient) NetworkList(_ context.Context, o network.ListOptions) ([]network.Summary, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("NetworkList", ""); err != nil {
		return nil, err
	}
	if err := o.Filters.Validate(networkFilters); err != nil {
		return nil, invalid("%v", err)
	}
	var out []network.Summary
	for _, n := range f.networks {
		if networkListed(n, o.Filters) {
			out = append(out, clone(*n))
		}
	}
	slices.SortFunc(out, func(a, b network.Summary) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

func networkListed(n *network.Inspect, fl filters.Args) bool {
	kind := "custom"
	if n.Name == "bridge" || n.Name == "host" || n.Name == "none" {
		kind = "builtin"
	}
	return fl.Match("name", n.Name) && fl.Match("id", n.ID) && fl.MatchKVList("label", n.Labels) &&
		fl.ExactMatch("driver", n.Driver) && fl.ExactMatch("scope", n.Scope) && fl.ExactMatch("type", kind)
}

// NetworkConnect puts a container on a network; running, it gets an
// address at once.
func (f *FakeClient) NetworkConnect(_ context.Context, netRef, ref string, ep *network.EndpointSettings) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("NetworkConnect", netRef); err != nil {
		return err
	}
	n, err := f.networkRef(netRef)
	if err != nil {
		return err
	}
	c := f.container(ref)
	switch {
	case c == nil:
		return notFound("No such container: %s", ref)
	case c.NetworkSettings.Networks[n.Name] != nil:
		return forbidden("endpoint with name %s already exists in network %s", c.name(), n.Name)
	case c.HostConfig.NetworkMode.IsContainer() || c.HostConfig.NetworkMode.IsHost() || c.HostConfig.NetworkMode.IsNone():
		return forbidden("container sharing network namespace with another container or host cannot be connected to any other network")
	}
	e := &network.EndpointSettings{}
	if ep != nil {
		e = clone(ep)
	}
	e.NetworkID = n.ID
	if c.NetworkSettings.Networks == nil {
		c.NetworkSettings.Networks = map[string]*network.EndpointSettings{}
	}
	c.NetworkSettings.Networks[n.Name] = e
	if c.State.Running {
		f.assignAddress(e)
	}
	f.emit(events.NetworkEventType, events.ActionConnect, n.ID, map[string]string{"container": c.ID, "name": n.Name, "type": n.Driver})
	return nil
}

// NetworkDisconnect takes a container off a network.
func (f *FakeClient) NetworkDisconnect(_ context.Context, netRef, ref string, _ bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("NetworkDisconnect", netRef); err != nil {
		return err
	}
	n, c := f.network(netRef), f.container(ref)
	switch {
	case n == nil:
		return notFound("network %s not found", netRef)
	case c == nil:
		return notFound("No such container: %s", ref)
	case c.NetworkSettings.Networks[n.Name] == nil:
		return forbidden("container %s is not connected to network %s", c.ID, n.Name)
	}
	delete(c.NetworkSettings.Networks, n.Name)
	f.emit(events.NetworkEventType, events.ActionDisconnect, n.ID, map[string]string{"container": c.ID, "name": n.Name, "type": n.Driver})
	return nil
}

// NetworkRemove removes a network no running container is on; stopped
// ones keep their endpoint config, and then fail to start, as with Docker.
func (f *FakeClient) NetworkRemove(_ context.Context, ref string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("NetworkRemove", ref); err != nil {
		return err
	}
	n := f.network(ref)
	if n == nil {
		return notFound("network %s not found", ref)
	}
	if n.Name == "bridge" || n.Name == "host" || n.Name == "none" {
		return forbidden("%s is a pre-defined network and cannot be removed", n.Name)
	}
	for _, c := range f.containers {
		if ep := c.NetworkSettings.Networks[n.Name]; ep != nil && ep.NetworkID == n.ID && c.State.Running {
			return forbidden("error while removing network: network %s id %s has active endpoints", n.Name, n.ID)
		}
	}
	delete(f.networks, n.ID)
	f.emit(events.NetworkEventType, events.ActionDestroy, n.ID, map[string]string{"name": n.Name, "type": n.Driver})
	return nil
}
