package dockerapi

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/network"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// fakeContainer is a container as the engine keeps it: what inspect
// shows, and what the fake needs besides.
type fakeContainer struct {
	container.InspectResponse // its ContainerJSONBase is always set
	seq                       int
	anon                      []string  // anonymous volumes it created: RemoveVolumes removes them
	logs                      []logLine // what ContainerLogs returns
	files                     map[string][]byte
	exited                    chan struct{} // closed at its process's next exit
	removed                   chan struct{} // closed when it is removed
}

func (c *fakeContainer) name() string { return strings.TrimPrefix(c.Name, "/") }

// container finds a container by ID, name or unique ID prefix. The
// caller holds f.mu.
func (f *FakeClient) container(ref string) *fakeContainer {
	c, _ := byIDOrName(f.containers, strings.TrimPrefix(ref, "/"), (*fakeContainer).name)
	return c
}

func (f *FakeClient) named(name string) *fakeContainer {
	for _, c := range f.containers {
		if c.name() == name {
			return c
		}
	}
	return nil
}

var validName = regexp.MustCompile(`^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$`)

// checkName refuses a name the engine refuses, or one in use.
func (f *FakeClient) checkName(name string) error {
	if !validName.MatchString(name) {
		return invalid("Invalid container name (%s), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", name)
	}
	if other := f.named(strings.TrimPrefix(name, "/")); other != nil {
		return conflict(`Conflict. The container name "/%s" is already in use by container "%s". You have to remove (or rename) that container to be able to reuse that name.`, strings.TrimPrefix(name, "/"), other.ID)
	}
	return nil
}

// ContainerCreate creates a container of an image that is present, on
// networks that exist, creating the volumes it mounts that do not.
func (f *FakeClient) ContainerCreate(_ context.Context, cfg *container.Config, host *container.HostConfig, nc *network.NetworkingConfig, _ *ocispec.Platform, name string) (container.CreateResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("ContainerCreate", name); err != nil {
		return container.CreateResponse{}, err
	}
	if cfg == nil {
		return container.CreateResponse{}, invalid("config cannot be empty in order to create a container")
	}
	id := f.newID("container")
	if name == "" {
		name = "fake_" + id[:8]
	}
	if err := f.checkName(name); err != nil {
		return container.CreateResponse{}, err
	}
	img := f.image(cfg.Image)
	if img == nil {
		return container.CreateResponse{}, notFound("No such image: %s", cfg.Image)
	}
	if host == nil {
		host = &container.HostConfig{}
	}
	nets, err := f.endpoints(host.NetworkMode, nc)
	if err != nil {
		return container.CreateResponse{}, err
	}
	mounts, err := f.mountPoints(host, img)
	if err != nil {
		return container.CreateResponse{}, err
	}
	cfg, host = clone(cfg), clone(host)
	if cfg.Healthcheck == nil && img.Config != nil && img.Config.Healthcheck != nil {
		h := img.Config.Healthcheck
		cfg.Healthcheck = &container.HealthConfig{Test: h.Test, Interval: h.Interval, Timeout: h.Timeout, StartPeriod: h.StartPeriod, Retries: h.Retries}
	}
	c := &fakeContainer{seq: f.seq, files: map[string][]byte{}, exited: make(chan struct{}), removed: make(chan struct{})}
	c.InspectResponse = container.InspectResponse{
		ContainerJSONBase: &container.ContainerJSONBase{
			ID: id, Name: "/" + strings.TrimPrefix(name, "/"), Created: f.now().Format(time.RFC3339Nano), Image: img.ID,
			State: &container.State{Status: container.StateCreated, StartedAt: zeroTime, FinishedAt: zeroTime}, HostConfig: host, Driver: "overlay2",
		},
		Config:          cfg,
		NetworkSettings: &container.NetworkSettings{Networks: nets},
	}
	c.Mounts, c.anon = f.createVolumes(mounts)
	f.containers[id] = c
	f.containerEvent(c, events.ActionCreate)
	return container.CreateResponse{ID: id}, nil
}

const zeroTime = "0001-01-01T00:00:00Z"

// endpoints resolves the networks a new container is on: its network
// mode's, and those of the networking config.
func (f *FakeClient) endpoints(mode container.NetworkMode, nc *network.NetworkingConfig) (map[string]*network.EndpointSettings, error) {
	out := map[string]*network.EndpointSettings{}
	if other, ok := strings.CutPrefix(string(mode), "container:"); ok {
		if f.container(other) == nil {
			return nil, notFound("No such container: %s", other)
		}
		return out, nil // it shares the other's network stack
	}
	want := map[string]*network.EndpointSettings{}
	if nc != nil {
		for ref, ep := range nc.EndpointsConfig {
			want[ref] = ep
		}
	}
	switch {
	case mode == "" || mode == "default":
		if len(want) == 0 {
			want["bridge"] = nil
		}
	case want[string(mode)] == nil:
		want[string(mode)] = nil
	}
	for ref, ep := range want {
		if ep != nil && ep.NetworkID != "" {
			ref = ep.NetworkID // the engine prefers the ID an endpoint names
		}
		n, err := f.networkRef(ref)
		if err != nil {
			return nil, err
		}
		e := &network.EndpointSettings{}
		if ep != nil {
			e = clone(ep)
		}
		e.NetworkID = n.ID
		out[n.Name] = e
	}
	return out, nil
}

// ContainerStart starts a created or stopped container; one that runs is
// left as it is (the engine answers 304, which the client takes as done).
func (f *FakeClient) ContainerStart(_ context.Context, ref string, _ container.StartOptions) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("ContainerStart", ref); err != nil {
		return err
	}
	c := f.container(ref)
	if c == nil {
		return notFound("No such container: %s", ref)
	}
	if c.State.Running {
		return nil
	}
	return f.start(c)
}

// start runs c's process: it needs its networks and its host ports.
func (f *FakeClient) start(c *fakeContainer) error {
	for name, ep := range c.NetworkSettings.Networks {
		if f.networks[ep.NetworkID] == nil {
			return notFound("network %s not found", name)
		}
	}
	ports, err := f.bindPorts(c)
	if err != nil {
		return err
	}
	c.NetworkSettings.Ports = ports
	c.State = &container.State{Status: container.StateRunning, Running: true, Pid: 1000 + f.seq,
		StartedAt: f.now().Format(time.RFC3339Nano), FinishedAt: zeroTime}
	if hc := c.Config.Healthcheck; hc != nil && len(hc.Test) > 0 && hc.Test[0] != "NONE" {
		c.State.Health = &container.Health{Status: container.Starting}
	}
	for _, ep := range c.NetworkSettings.Networks {
		f.assignAddress(ep)
	}
	f.containerEvent(c, events.ActionStart)
	if fn := f.onStart[c.name()]; fn != nil {
		fn(c)
	}
	return nil
}

// exit ends c's process with code, as its own exit or a signal does.
func (f *FakeClient) exit(c *fakeContainer, code int) {
	health := c.State.Health
	c.State = &container.State{Status: container.StateExited, ExitCode: code, Health: health,
		StartedAt: c.State.StartedAt, FinishedAt: f.now().Format(time.RFC3339Nano)}
	c.NetworkSettings.Ports = nil
	for _, ep := range c.NetworkSettings.Networks {
		ep.IPAddress, ep.IPPrefixLen, ep.Gateway, ep.MacAddress = "", 0, "", ""
	}
	close(c.exited)
	c.exited = make(chan struct{})
	f.containerEvent(c, events.ActionDie, "exitCode", strconv.Itoa(code))
	if c.HostConfig.AutoRemove {
		f.remove(c, true)
	}
}

// signals are the exit codes of a process a signal ends (128 + number).
var signals = map[string]int{"HUP": 129, "INT": 130, "QUIT": 131, "KILL": 137, "USR1": 138, "USR2": 140, "TERM": 143}

// kill sends a signal that ends c's process.
func (f *FakeClient) kill(c *fakeContainer, signal string) {
	sig := strings.TrimPrefix(strings.ToUpper(signal), "SIG")
	code, ok := signals[sig]
	if n, err := strconv.Atoi(sig); err == nil {
		code, ok = 128+n, true
	}
	if !ok {
		code = signals["KILL"]
	}
	f.containerEvent(c, events.ActionKill, "signal", strconv.Itoa(code-128))
	if slices.Contains(f.traps[strings.TrimPrefix(c.Name, "/")], sig) {
		return // the process handles it and runs on
	}
	f.exit(c, code)
}

// Trap makes the process of the container named name (made now or later)
// handle signals (HUP, USR1, ...): ContainerKill with one of them leaves
// it running, as a program that reloads on SIGHUP does.
func (f *FakeClient) Trap(name string, signals ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, s := range signals {
		f.traps[name] = append(f.traps[name], strings.TrimPrefix(strings.ToUpper(s), "SIG"))
	}
}

// ContainerStop stops a running container; its process exits 0 at
// SIGTERM. A container that does not run is left as it is.
func (f *FakeClient) ContainerStop(_ context.Context, ref string, _ container.StopOptions) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("ContainerStop", ref); err != nil {
		return err
	}
	c := f.container(ref)
	if c == nil {
		return notFound("No such container: %s", ref)
	}
	if !c.State.Running {
		return nil
	}
	f.containerEvent(c, events.ActionKill, "signal", "15")
	f.exit(c, 0)
	f.containerEvent(c, events.ActionStop)
	return nil
}

// ContainerRestart stops the container if it runs and starts it.
func (f *FakeClient) ContainerRestart(_ context.Context, ref string, _ container.StopOptions) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("ContainerRestart", ref); err != nil {
		return err
	}
	c := f.container(ref)
	if c == nil {
		return notFound("No such container: %s", ref)
	}
	if c.State.Running {
		f.containerEvent(c, events.ActionKill, "signal", "15")
		f.exit(c, 0)
	}
	if err := f.start(c); err != nil {
		return err
	}
	f.containerEvent(c, events.ActionRestart)
	return nil
}

// ContainerKill ends a running container's process with the signal.
func (f *FakeClient) ContainerKill(_ context.Context, ref, signal string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("ContainerKill", ref); err != nil {
		return err
	}
	c := f.container(ref)
	if c == nil {
		return notFound("No such container: %s", ref)
	}
	if !c.State.Running {
		return conflict("cannot kill container: %s: container %s is not running", ref, c.ID)
	}
	f.kill(c, signal)
	return nil
}

// ContainerRemove removes a container: a running one only with Force
// (it is killed); with RemoveVolumes, the anonymous volumes it created,
// unless another container uses them.
func (f *FakeClient) ContainerRemove(_ context.Context, ref string, o container.RemoveOptions) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("ContainerRemove", ref); err != nil {
		return err
	}
	c := f.container(ref)
	if c == nil {
		return notFound("No such container: %s", ref)
	}
	if c.State.Running && !o.Force {
		return conflict("cannot remove container %q: container is running: stop the container before removing or force remove", c.Name)
	}
	if c.State.Running {
		f.kill(c, "KILL")
	}
	if f.containers[c.ID] != nil { // not removed as it exited (AutoRemove)
		f.remove(c, o.RemoveVolumes)
	}
	return nil
}

// remove deletes c, and with volumes the anonymous volumes it created that
// no other container uses.
func (f *FakeClient) remove(c *fakeContainer, volumes bool) {
	delete(f.containers, c.ID)
	for name := range c.NetworkSettings.Networks {
		if n := f.network(name); n != nil {
			f.emit(events.NetworkEventType, events.ActionDisconnect, n.ID, map[string]string{"container": c.ID, "name": n.Name, "type": n.Driver})
		}
	}
	if volumes {
		for _, v := range c.anon {
			if f.volumes[v] != nil && len(f.volumeUsers(v)) == 0 {
				f.removeVolume(v)
			}
		}
	}
	close(c.removed)
	f.containerEvent(c, events.ActionDestroy)
}

// ContainerRename gives a container another name, if it is free.
func (f *FakeClient) ContainerRename(_ context.Context, ref, newName string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("ContainerRename", ref); err != nil {
		return err
	}
	c := f.container(ref)
	if c == nil {
		return notFound("No such container: %s", ref)
	}
	if err := f.checkName(newName); err != nil {
		return err
	}
	old := c.Name
	c.Name = "/" + strings.TrimPrefix(newName, "/")
	f.containerEvent(c, events.ActionRename, "oldName", old)
	return nil
}
