package engine

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
)

// CheckPorts fails, before anything is created, when a host port the
// project wants is taken by something other than the project's own
// containers. It names the container holding it when that is one.
func CheckPorts(ctx context.Context, api dockerapi.API, project string, want []convert.HostPort, own []Container) error {
	mine := map[string]bool{}
	for _, c := range own {
		for _, pt := range c.Summary.Ports {
			if pt.PublicPort != 0 {
				mine[convert.PortKey(int(pt.PublicPort), pt.Type)] = true
			}
		}
	}
	for _, hp := range want {
		if mine[convert.PortKey(hp.Port, hp.Protocol)] {
			continue
		}
		if err := probePort(hp); err != nil {
			holder := portHolder(ctx, api, hp)
			return fmt.Errorf("%w: service %s wants %s, %s", convert.ErrPortInUse, hp.Service, hp, holder)
		}
	}
	return nil
}

func probePort(hp convert.HostPort) error {
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

func portHolder(ctx context.Context, api dockerapi.API, hp convert.HostPort) string {
	list, err := api.ContainerList(ctx, container.ListOptions{Filters: filters.NewArgs(filters.Arg("publish", convert.PortKey(hp.Port, hp.Protocol)))})
	if err == nil && len(list) > 0 {
		c := list[0]
		name := strings.TrimPrefix(c.Names[0], "/")
		if proj := c.Labels[convert.LabelProject]; proj != "" {
			return fmt.Sprintf("held by container %s (project %s)", name, proj)
		}
		return fmt.Sprintf("held by container %s", name)
	}
	if proc := processHolding(hp.Port, hp.Protocol); proc != "" && !strings.HasPrefix(proc, "docker-proxy") {
		return "held by " + proc
	}
	return "held by another process on this machine"
}
