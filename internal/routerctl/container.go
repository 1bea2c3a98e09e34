package routerctl

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/go-connections/nat"

	"github.com/devstack/devstack/internal/dockerapi"
)

// Router is the running router: its container and the loopback ports it
// publishes.
type Router struct {
	ID          string
	HTTPS, HTTP int
	Running     bool
	Image       string
	Networks    []string
	CreatedNow  bool
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
	r := Router{ID: c.ID, Image: c.Config.Image}
	if c.State != nil {
		r.Running = c.State.Running
	}
	if c.HostConfig != nil {
		r.HTTPS = boundPort(c.HostConfig.PortBindings, "443/tcp")
		r.HTTP = boundPort(c.HostConfig.PortBindings, "80/tcp")
	}
	if c.NetworkSettings != nil {
		for name := range c.NetworkSettings.Networks {
			r.Networks = append(r.Networks, name)
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

// Ensure starts the router if it is not running: the image loaded if the
// engine lacks it, the container made (restarted by the engine unless
// stopped), publishing 127.0.0.1:443 and :80, or other free loopback
// ports when those are taken. A router of another devstack build keeps
// running: its routes are the same format.
func Ensure(ctx context.Context, api dockerapi.API) (Router, error) {
	r, err := Find(ctx, api)
	switch {
	case err == nil && r.Running:
		return r, nil
	case err == nil:
		if err := api.ContainerStart(ctx, Name, container.StartOptions{}); err != nil {
			return r, fmt.Errorf("starting the router: %w", err)
		}
		return Find(ctx, api)
	case err != ErrNoRouter:
		return r, err
	}
	ref, err := ensureImage(ctx, api)
	if err != nil {
		return Router{}, err
	}
	local := Local(api.DaemonHost())
	var last error
	for _, https := range pick(httpsPorts, local) {
		for _, http := range pick(httpPorts, local) {
			if last = create(ctx, api, ref, https, http); last == nil {
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

// pick keeps the candidates free on this machine when the engine is
// local (a probe costs microseconds; a failed start, a container); 0
// becomes a port the system picks now.
func pick(cands []int, local bool) []int {
	var out []int
	for _, p := range cands {
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

func create(ctx context.Context, api dockerapi.ContainerAPI, ref string, https, http int) error {
	bind := func(p int) []nat.PortBinding {
		return []nat.PortBinding{{HostIP: "127.0.0.1", HostPort: strconv.Itoa(p)}}
	}
	cfg := &container.Config{
		Image:        ref,
		Labels:       map[string]string{Label: "1"},
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
	if err := api.ContainerStart(ctx, c.ID, container.StartOptions{}); err != nil {
		_ = api.ContainerRemove(ctx, c.ID, container.RemoveOptions{Force: true})
		return err
	}
	return nil
}

// Stop removes the router container and its images; the CA stays (what
// trusts it keeps trusting it). It answers whether there was a router.
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
