package routerctl

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/go-connections/nat"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/router"
	"github.com/devstack/devstack/internal/watch/inject"
)

// Router is the running router: its container and the loopback ports it
// publishes.
type Router struct {
	ID          string
	HTTPS, HTTP int
	Running     bool
	Image       string
	Networks    []string
	// Aliases are its names on each network.
	Aliases    map[string][]string
	CreatedNow bool
	// Version is the router program's build (VersionLabel); "" for a
	// router of a devstack that did not label it.
	Version string
}

// URL is the https URL of host through r (the port shown when not 443).
func (r Router) URL(host string) string {
	if r.HTTPS == 443 || r.HTTPS == 0 {
		return "https://" + host
	}
	return "https://" + host + ":" + strconv.Itoa(r.HTTPS)
}

// Candidates are the loopback ports tried in order; 0 lets the system pick.
var (
	httpsPorts = []int{443, 10443, 0}
	httpPorts  = []int{80, 10080, 0}
)

// Find inspects the router container; ErrNoRouter when there is none.
func Find(ctx context.Context, api dockerapi.ContainerAPI) (Router, error) {
	c, err := api.ContainerInspect(ctx, Name)
	if errdefs.IsNotFound(err) {
		return Router{}, ErrNoRouter
	}
	if err != nil {
		return Router{}, err
	}
	r := Router{ID: c.ID, Image: c.Config.Image, Version: c.Config.Labels[VersionLabel]}
	if c.State != nil {
		r.Running = c.State.Running
	}
	if c.HostConfig != nil {
		r.HTTPS = boundPort(c.HostConfig.PortBindings, "443/tcp")
		r.HTTP = boundPort(c.HostConfig.PortBindings, "80/tcp")
	}
	if c.NetworkSettings != nil {
		r.Aliases = map[string][]string{}
		for name, ep := range c.NetworkSettings.Networks {
			r.Networks = append(r.Networks, name)
			if ep != nil {
				r.Aliases[name] = ep.Aliases
			}
		}
	}
	return r, nil
}

func boundPort(b nat.PortMap, port nat.Port) int {
	for _, pb := range b[port] {
		if n, err := strconv.Atoi(pb.HostPort); err == nil {
			return n
		}
	}
	return 0
}

// Ensured is the running router, and what Ensure did worth a line.
type Ensured struct {
	Router
	Notes    []string
	projects int // whose routes a replaced router's successor kept
}

// Ensure starts the router if it is not running: the image loaded if the
// engine lacks it, the container made (restarted by the engine unless
// stopped), publishing 127.0.0.1:443 and :80, or other free loopback
// ports when those are taken or in avoid (host ports the project being
// brought up publishes: the router starts while its containers do). A
// router of another build of the program (an older devstack's) is
// replaced, its routes and ports kept.
func Ensure(ctx context.Context, api dockerapi.API, c Cache, avoid ...int) (Ensured, error) {
	r, err := Find(ctx, api)
	want := programVersion()
	switch {
	case err == nil && want != "" && r.Version != want:
		e, err := replace(ctx, api, c, r, avoid)
		if err == nil {
			from := r.Version
			if from == "" {
				from = "unlabelled"
			}
			e.Notes = append(e.Notes, fmt.Sprintf("replaced the router of another devstack build (%s, now %s); the routes of %d projects kept", from, e.Version, e.projects))
		}
		return e, err
	case err == nil && r.Running:
		return Ensured{Router: r}, nil
	case err == nil:
		if serr := api.ContainerStart(ctx, Name, container.StartOptions{}); serr != nil {
			// e.g. a network it was on was removed while it was stopped
			e, err := replace(ctx, api, c, r, avoid)
			e.Notes = append([]string{fmt.Sprintf("the router did not start (%v): made again", serr)}, e.Notes...)
			return e, err
		}
		r, err = Find(ctx, api)
		return Ensured{Router: r}, err
	case err != ErrNoRouter:
		return Ensured{}, err
	}
	r, err = start(ctx, api, nil, 0, 0, avoid)
	return Ensured{Router: r}, err
}

// start makes and starts the router with states' routes in it, on the
// ports asked for when free (0: the usual candidates).
func start(ctx context.Context, api dockerapi.API, states []router.State, https, http int, avoid []int) (Router, error) {
	ref, err := loadImage(ctx, api)
	if err != nil {
		return Router{}, err
	}
	local := Local(api.DaemonHost())
	var last error
	for _, https := range pick(prefer(https, httpsPorts), local, avoid) {
		for _, http := range pick(prefer(http, httpPorts), local, avoid) {
			if last = create(ctx, api, ref, states, https, http); last == nil {
				r, err := Find(ctx, api)
				r.CreatedNow = true
				return r, err
			}
			if errdefs.IsConflict(last) {
				return Find(ctx, api) // another devstack made it meanwhile
			}
		}
	}
	return Router{}, fmt.Errorf("starting the router: %w", last)
}

func prefer(p int, cands []int) []int {
	if p == 0 || slices.Contains(cands, p) {
		return cands
	}
	return append([]int{p}, cands...)
}

// Version is the build of the router program this devstack carries
// ("" without one).
func Version() string { return inject.Fingerprint(Repo) }

// What the tests stand in for: a devstack with no embedded program has
// neither.
var (
	programVersion = Version
	loadImage      = ensureImage
)

// replace makes the router again (another build's, or one that cannot
// start): its routes read out, the container removed, a new one made on
// the same ports (when still free) with the same routes, on the same
// networks (those still there) with the same names.
func replace(ctx context.Context, api dockerapi.API, c Cache, old Router, avoid []int) (Ensured, error) {
	states, err := States(ctx, api)
	if err != nil {
		return Ensured{}, fmt.Errorf("reading the old router's routes: %w", err)
	}
	if err := api.ContainerRemove(ctx, old.ID, container.RemoveOptions{Force: true}); err != nil && !errdefs.IsNotFound(err) {
		return Ensured{}, fmt.Errorf("removing the old router: %w", err)
	}
	r, err := start(ctx, api, states, old.HTTPS, old.HTTP, avoid)
	if err != nil {
		return Ensured{}, err
	}
	for _, st := range states {
		for _, n := range st.Networks {
			if err := api.NetworkConnect(ctx, n, Name, &network.EndpointSettings{Aliases: hosts(st)}); err != nil && !errdefs.IsNotFound(err) {
				return Ensured{}, fmt.Errorf("router joining network %s: %w", n, err)
			}
		}
	}
	if r, err = Find(ctx, api); err != nil {
		return Ensured{}, err
	}
	_ = c.Reset(r.ID, states)
	return Ensured{Router: r, projects: len(states)}, nil
}

// pick keeps the candidates free on this machine when the engine is
// local (a probe costs microseconds; a failed start, a container); 0
// becomes a port the system picks now.
func pick(cands []int, local bool, avoid []int) []int {
	var out []int
	for _, p := range cands {
		if p != 0 && slices.Contains(avoid, p) {
			continue
		}
		if !local {
			if p != 0 {
				out = append(out, p)
			}
			continue
		}
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
		if err != nil {
			continue
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		out = append(out, port)
		if p == 0 || len(out) == 2 {
			break
		}
	}
	return out
}

// Local reports whether the engine at host runs on this machine (a unix
// socket or a named pipe): the router's loopback ports are then this
// machine's. A remote engine (tcp://, ssh://) gets no router for now.
func Local(host string) bool {
	return strings.HasPrefix(host, "unix://") || strings.HasPrefix(host, "npipe://")
}

func create(ctx context.Context, api dockerapi.ContainerAPI, ref string, states []router.State, https, http int) error {
	bind := func(p int) []nat.PortBinding {
		return []nat.PortBinding{{HostIP: "127.0.0.1", HostPort: strconv.Itoa(p)}}
	}
	cfg := &container.Config{
		Image:        ref,
		Labels:       map[string]string{Label: "1", VersionLabel: programVersion()},
		ExposedPorts: nat.PortSet{"443/tcp": {}, "80/tcp": {}},
	}
	hc := &container.HostConfig{
		RestartPolicy: container.RestartPolicy{Name: container.RestartPolicyUnlessStopped},
		PortBindings:  nat.PortMap{"443/tcp": bind(https), "80/tcp": bind(http)},
		LogConfig:     container.LogConfig{Type: "json-file", Config: map[string]string{"max-size": "1m", "max-file": "2"}},
	}
	c, err := api.ContainerCreate(ctx, cfg, hc, nil, nil, Name)
	if err != nil {
		return err
	}
	if err := copyRoutes(ctx, api, states, ""); err == nil {
		err = api.ContainerStart(ctx, c.ID, container.StartOptions{})
	}
	if err != nil {
		_ = api.ContainerRemove(ctx, c.ID, container.RemoveOptions{Force: true})
		return err
	}
	return nil
}

// Stop removes the router container, its networks (the projects'
// containers taken off them) and its images; the CA stays (what trusts
// it keeps trusting it). It answers whether there was a router.
func Stop(ctx context.Context, api StopAPI) (bool, error) {
	r, err := Find(ctx, api)
	found := err == nil
	if err != nil && err != ErrNoRouter {
		return false, err
	}
	if found {
		if err := api.ContainerRemove(ctx, r.ID, container.RemoveOptions{Force: true}); err != nil && !errdefs.IsNotFound(err) {
			return true, err
		}
	}
	nets, err := api.NetworkList(ctx, network.ListOptions{Filters: filters.NewArgs(filters.Arg("label", Label))})
	if err != nil {
		return found, err
	}
	for _, n := range nets {
		if err := removeNetwork(ctx, api, n); err != nil {
			return found, err
		}
	}
	imgs, err := imageList(ctx, api)
	if err != nil {
		return found, err
	}
	for _, id := range imgs {
		if _, err := api.ImageRemove(ctx, id, image.RemoveOptions{Force: true, PruneChildren: true}); err != nil && !errdefs.IsNotFound(err) {
			return found, err
		}
	}
	return found, nil
}

// StopAPI is what Stop uses: the router's container and its images, found
// by label.
type StopAPI interface {
	dockerapi.ContainerAPI
	dockerapi.NetworkAPI
	dockerapi.ImageAPI
	ImageList(context.Context, image.ListOptions) ([]image.Summary, error)
}

func imageList(ctx context.Context, api StopAPI) ([]string, error) {
	sums, err := api.ImageList(ctx, image.ListOptions{Filters: filters.NewArgs(filters.Arg("label", Label))})
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(sums))
	for _, s := range sums {
		out = append(out, s.ID)
	}
	return out, nil
}
