package dockerapi

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/go-connections/nat"
	"github.com/docker/go-units"
)

// ContainerInspect shows a container by ID, name or unique ID prefix.
func (f *FakeClient) ContainerInspect(_ context.Context, ref string) (container.InspectResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("ContainerInspect", ref); err != nil {
		return container.InspectResponse{}, err
	}
	c := f.container(ref)
	if c == nil {
		return container.InspectResponse{}, notFound("No such container: %s", ref)
	}
	return clone(c.InspectResponse), nil
}

var containerFilters = map[string]bool{"ancestor": true, "before": true, "expose": true, "exited": true, "health": true, "id": true,
	"isolation": true, "is-task": true, "label": true, "name": true, "network": true, "publish": true, "since": true, "status": true, "volume": true}

var states = []string{"created", "running", "paused", "restarting", "removing", "exited", "dead"}

// ContainerList lists the running containers, or all with All or a
// status filter, newest first, filtered by id, name (a regular
// expression), label, status, exited, health, network, publish and volume.
func (f *FakeClient) ContainerList(_ context.Context, o container.ListOptions) ([]container.Summary, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("ContainerList", ""); err != nil {
		return nil, err
	}
	if err := o.Filters.Validate(containerFilters); err != nil {
		return nil, invalid("%v", err)
	}
	for _, s := range o.Filters.Get("status") {
		if !slices.Contains(states, s) {
			return nil, invalid("invalid filter 'status=%s'", s)
		}
	}
	all := o.All || o.Filters.Contains("status")
	var list []*fakeContainer
	for _, c := range f.containers {
		if (all || c.State.Running) && f.listed(c, o.Filters) {
			list = append(list, c)
		}
	}
	slices.SortFunc(list, func(a, b *fakeContainer) int { return b.seq - a.seq })
	out := make([]container.Summary, 0, len(list))
	for _, c := range list {
		out = append(out, f.summary(c))
	}
	return out, nil
}

// listed applies a list's filters to c.
func (f *FakeClient) listed(c *fakeContainer, fl filters.Args) bool {
	st := c.State
	health := "none"
	if st.Health != nil {
		health = string(st.Health.Status)
	}
	exited := fl.Contains("exited") && (st.Status != container.StateExited || !fl.ExactMatch("exited", strconv.Itoa(st.ExitCode)))
	return fl.Match("id", c.ID) &&
		(fl.Match("name", c.Name) || fl.Match("name", c.name())) &&
		fl.MatchKVList("label", c.Config.Labels) && fl.ExactMatch("status", string(st.Status)) && !exited &&
		fl.ExactMatch("health", health) && f.onNetwork(c, fl) && publishes(c, fl) && mountsVolume(c, fl)
}

func (f *FakeClient) onNetwork(c *fakeContainer, fl filters.Args) bool {
	if !fl.Contains("network") {
		return true
	}
	for name, ep := range c.NetworkSettings.Networks {
		if fl.ExactMatch("network", name) || fl.ExactMatch("network", ep.NetworkID) {
			return true
		}
	}
	return false
}

func publishes(c *fakeContainer, fl filters.Args) bool {
	if !fl.Contains("publish") {
		return true
	}
	for port, bindings := range c.NetworkSettings.Ports {
		for _, b := range bindings {
			if fl.ExactMatch("publish", b.HostPort+"/"+port.Proto()) || (port.Proto() == "tcp" && fl.ExactMatch("publish", b.HostPort)) {
				return true
			}
		}
	}
	return false
}

func mountsVolume(c *fakeContainer, fl filters.Args) bool {
	if !fl.Contains("volume") {
		return true
	}
	for _, m := range c.Mounts {
		if fl.ExactMatch("volume", m.Name) || fl.ExactMatch("volume", m.Destination) {
			return true
		}
	}
	return false
}

// summary is c as a list shows it.
func (f *FakeClient) summary(c *fakeContainer) container.Summary {
	created, _ := time.Parse(time.RFC3339Nano, c.Created)
	s := container.Summary{
		ID: c.ID, Names: []string{c.Name}, Image: c.Config.Image, ImageID: c.Image,
		Command: strings.Join(append(slices.Clone(c.Config.Entrypoint), c.Config.Cmd...), " "),
		Created: created.Unix(), Labels: c.Config.Labels, State: c.State.Status, Status: f.status(c),
		NetworkSettings: &container.NetworkSettingsSummary{Networks: c.NetworkSettings.Networks}, Mounts: c.Mounts,
	}
	s.HostConfig.NetworkMode = string(c.HostConfig.NetworkMode)
	for port := range c.Config.ExposedPorts {
		if len(c.NetworkSettings.Ports[port]) == 0 {
			s.Ports = append(s.Ports, container.Port{PrivatePort: uint16(port.Int()), Type: port.Proto()})
		}
	}
	for port, bindings := range c.NetworkSettings.Ports {
		for _, b := range bindings {
			public, _ := strconv.Atoi(b.HostPort)
			s.Ports = append(s.Ports, container.Port{IP: b.HostIP, PrivatePort: uint16(port.Int()), PublicPort: uint16(public), Type: port.Proto()})
		}
	}
	return clone(s)
}

// status is the engine's words for c's state: "Up 3 minutes (healthy)".
func (f *FakeClient) status(c *fakeContainer) string {
	st := c.State
	since := func(at string) string {
		t, _ := time.Parse(time.RFC3339Nano, at)
		return units.HumanDuration(f.now().Sub(t))
	}
	switch st.Status {
	case container.StateCreated:
		return "Created"
	case container.StateExited:
		return fmt.Sprintf("Exited (%d) %s ago", st.ExitCode, since(st.FinishedAt))
	case container.StatePaused:
		return "Up " + since(st.StartedAt) + " (Paused)"
	}
	up := "Up " + since(st.StartedAt)
	if st.Health != nil {
		switch st.Health.Status {
		case container.Starting:
			up += " (health: starting)"
		default:
			up += " (" + string(st.Health.Status) + ")"
		}
	}
	return up
}

// bindPorts gives c's published ports their host ports: the one asked
// for, when no running container holds it, else one the engine picks.
func (f *FakeClient) bindPorts(c *fakeContainer) (nat.PortMap, error) {
	out := nat.PortMap{}
	for port, bindings := range c.HostConfig.PortBindings {
		for _, b := range bindings {
			if b.HostIP == "" {
				b.HostIP = "0.0.0.0"
			}
			b.HostPort, _, _ = strings.Cut(b.HostPort, "-") // a range: its first port
			if b.HostPort == "" || b.HostPort == "0" {
				f.seq++
				b.HostPort = strconv.Itoa(32768 + f.seq)
			} else if holder := f.portHolder(b, port.Proto()); holder != nil {
				return nil, daemonError(errdefs.ErrInternal, "driver failed programming external connectivity on endpoint %s (%s): Bind for %s:%s failed: port is already allocated",
					c.name(), c.ID, b.HostIP, b.HostPort)
			}
			out[port] = append(out[port], b)
		}
	}
	return out, nil
}

func (f *FakeClient) portHolder(want nat.PortBinding, proto string) *fakeContainer {
	for _, c := range f.containers {
		for port, bindings := range c.NetworkSettings.Ports {
			for _, b := range bindings {
				sameIP := b.HostIP == want.HostIP || b.HostIP == "0.0.0.0" || want.HostIP == "0.0.0.0"
				if port.Proto() == proto && b.HostPort == want.HostPort && sameIP {
					return c
				}
			}
		}
	}
	return nil
}
