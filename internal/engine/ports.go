package engine

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"

	"github.com/devstack/devstack/internal/dockerapi"
)

// HostPort is one published host port a service asks for.
type HostPort struct {
	Service  string
	IP       string
	Port     int
	Protocol string
}

func (h HostPort) String() string {
	ip := h.IP
	if ip == "" {
		ip = "0.0.0.0"
	}
	return fmt.Sprintf("%s/%s", net.JoinHostPort(ip, strconv.Itoa(h.Port)), h.Protocol)
}

// PublishedPorts lists the fixed host ports of the project's services. Pure.
func PublishedPorts(p *types.Project) ([]HostPort, error) {
	var out []HostPort
	for _, name := range sortedServices(p) {
		s := p.Services[name]
		for _, pc := range s.Ports {
			if pc.Published == "" {
				continue
			}
			lo, hi, err := portRange(pc.Published)
			if err != nil {
				return nil, fmt.Errorf("service %s: published port %q: %w", name, pc.Published, err)
			}
			proto := pc.Protocol
			if proto == "" {
				proto = "tcp"
			}
			for port := lo; port <= hi; port++ {
				out = append(out, HostPort{Service: name, IP: pc.HostIP, Port: port, Protocol: proto})
			}
		}
	}
	return out, nil
}

func portRange(s string) (int, int, error) {
	a, b, isRange := strings.Cut(s, "-")
	lo, err := strconv.Atoi(a)
	if err != nil {
		return 0, 0, err
	}
	hi := lo
	if isRange {
		if hi, err = strconv.Atoi(b); err != nil {
			return 0, 0, err
		}
	}
	return lo, hi, nil
}

// PortKey is how the engine writes a port with its protocol: "8080/tcp".
func PortKey(port int, proto string) string { return strconv.Itoa(port) + "/" + proto }

// DuplicatePorts refuses host ports two services (or two replicas of one)
// would both bind. Pure.
func DuplicatePorts(p *types.Project, want []HostPort) error {
	byPort := map[string][]HostPort{}
	for _, h := range want {
		s := p.Services[h.Service]
		if n := s.GetScale(); n > 1 {
			return fmt.Errorf("%w: service %s publishes fixed host port %s but has %d replicas; only one can bind it (publish only the container port instead)", ErrPortInUse, h.Service, h, n)
		}
		k := PortKey(h.Port, h.Protocol)
		for _, o := range byPort[k] {
			if o.IP == h.IP || wildcard(o.IP) || wildcard(h.IP) {
				return fmt.Errorf("%w: services %s and %s both publish host port %s", ErrPortInUse, o.Service, h.Service, h)
			}
		}
		byPort[k] = append(byPort[k], h)
	}
	return nil
}

func wildcard(ip string) bool { return ip == "" || ip == "0.0.0.0" || ip == "::" }

// CheckPorts fails, before anything is created, when a host port the
// project wants is taken by something other than the project's own
// containers. It names the container holding it when that is one.
func CheckPorts(ctx context.Context, api dockerapi.API, project string, want []HostPort, own []Container) error {
	mine := map[string]bool{}
	for _, c := range own {
		for _, pt := range c.Summary.Ports {
			if pt.PublicPort != 0 {
				mine[PortKey(int(pt.PublicPort), pt.Type)] = true
			}
		}
	}
	for _, hp := range want {
		if mine[PortKey(hp.Port, hp.Protocol)] {
			continue
		}
		if err := probePort(hp); err != nil {
			holder := portHolder(ctx, api, hp)
			return fmt.Errorf("%w: service %s wants %s, %s", ErrPortInUse, hp.Service, hp, holder)
		}
	}
	return nil
}

func probePort(hp HostPort) error {
	addr := net.JoinHostPort(hp.IP, strconv.Itoa(hp.Port))
	if hp.Protocol == "udp" {
		c, err := net.ListenPacket("udp", addr)
		if err == nil {
			c.Close()
		}
		return err
	}
	l, err := net.Listen("tcp", addr)
	if err == nil {
		l.Close()
	}
	return err
}

func portHolder(ctx context.Context, api dockerapi.API, hp HostPort) string {
	list, err := api.ContainerList(ctx, container.ListOptions{Filters: filters.NewArgs(filters.Arg("publish", PortKey(hp.Port, hp.Protocol)))})
	if err == nil && len(list) > 0 {
		c := list[0]
		name := strings.TrimPrefix(c.Names[0], "/")
		if proj := c.Labels[LabelProject]; proj != "" {
			return fmt.Sprintf("held by container %s (project %s)", name, proj)
		}
		return fmt.Sprintf("held by container %s", name)
	}
	if proc := processHolding(hp.Port, hp.Protocol); proc != "" && !strings.HasPrefix(proc, "docker-proxy") {
		return "held by " + proc
	}
	return "held by another process on this machine"
}
