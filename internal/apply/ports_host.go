package apply

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/presets"
	"github.com/devstack/devstack/internal/progress"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
)

// CheckPorts fails, before anything is created, when a host port the
// project wants is taken by something other than the project's own
// containers. It names the container holding it when that is one.
func CheckPorts(ctx context.Context, api dockerapi.ContainerAPI, project string, want []convert.HostPort, own []plan.Container) error {
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
		if err := ProbePort(hp); err != nil {
			holder := PortHolder(ctx, api, hp)
			return fmt.Errorf("%w: service %s wants %s, %s", convert.ErrPortInUse, hp.Service, hp, holder)
		}
	}
	return nil
}

// ProbePort binds the host port for a moment: nil when it is free.
func ProbePort(hp convert.HostPort) error {
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

// PortHolder says what holds a taken host port: a container (and its
// project) or a process of this machine (name and pid), as far as it can tell.
func PortHolder(ctx context.Context, api dockerapi.ContainerAPI, hp convert.HostPort) string {
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

// presetPortMoves applies the port rule on the engine's host and reports
// each move, naming what holds the wanted port; strict refuses instead.
func presetPortMoves(ctx context.Context, api dockerapi.ContainerAPI, p *types.Project, own []plan.Container, strict bool, out progress.Progress) ([]plan.PortMove, error) {
	moves, err := plan.MovePorts(p, plan.ServicePorts(own), presets.IsPreset, func(h convert.HostPort) bool { return ProbePort(h) == nil })
	if err != nil {
		return nil, err
	}
	for _, m := range moves {
		holder := PortHolder(ctx, api, convert.HostPort{Port: m.From, Protocol: m.Protocol})
		if strict {
			return nil, fmt.Errorf("%w: service %s wants host port %d/%s, %s (--strict-ports)", convert.ErrPortInUse, m.Service, m.From, m.Protocol, holder)
		}
		out.Event(progress.Event{Kind: progress.KindPort, Name: m.Service, Status: "Moved", Detail: fmt.Sprintf("Port %d of %s is taken (%s); using %d", m.From, m.Service, holder, m.To)})
	}
	return moves, nil
}
