package containers

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/plan"

	"github.com/devstack/devstack/internal/dockerapi"
)

// PsRow is one container as `devstack ps` shows it.
type PsRow struct {
	Name    string   `json:"name"`
	Service string   `json:"service"`
	State   string   `json:"state"`
	Health  string   `json:"health,omitempty"`
	Exit    *int     `json:"exit_code,omitempty"` // of the last run, for a container the engine is restarting
	Status  string   `json:"status"`
	IPs     []string `json:"ips"`   // "network=ip", the project's networks first
	Ports   []string `json:"ports"` // "127.0.0.1:8080->80/tcp"
	Image   string   `json:"image"`
	ID      string   `json:"id"`
	URLs    []string `json:"urls,omitempty"` // the router's https URLs of the service (cli fills them)
}

// Ps describes the project's containers from one engine call, with the
// one-off containers of run when oneoff says so (ps -a, as compose).
func Ps(ctx context.Context, api dockerapi.ContainerAPI, project string, oneoff bool) ([]PsRow, error) {
	cs, err := List(ctx, api, project, oneoff)
	if err != nil {
		return nil, err
	}
	rows := make([]PsRow, 0, len(cs))
	for _, c := range cs {
		rows = append(rows, psRow(project, c))
	}
	return rows, nil
}

func psRow(project string, c plan.Container) PsRow {
	return PsRow{
		Name: c.Name, Service: c.Service, State: c.State, Status: c.Status,
		Health: healthFromStatus(c.Status), IPs: containerIPs(project, c.Summary),
		Ports: containerPorts(c.Summary), Image: c.Summary.Image, ID: c.ID[:12],
		Exit: restartingExit(c.State, c.Status),
	}
}

// restartingExit reads the last exit code of a container the engine is
// restarting from its status ("Restarting (3) 2 seconds ago"): the list
// call carries no other trace of it.
func restartingExit(state, status string) *int {
	if state != "restarting" {
		return nil
	}
	code, ok := strings.CutPrefix(status, "Restarting (")
	if code, _, ok = strings.Cut(code, ")"); !ok {
		return nil
	}
	n, err := strconv.Atoi(code)
	if err != nil {
		return nil
	}
	return &n
}

// healthFromStatus reads the health the engine appends to the status text.
func healthFromStatus(status string) string {
	switch {
	case strings.Contains(status, "(healthy)"):
		return "healthy"
	case strings.Contains(status, "(unhealthy)"):
		return "unhealthy"
	case strings.Contains(status, "(health: starting)"):
		return "starting"
	}
	return ""
}

// NetworkIP is a container's address on one network.
type NetworkIP struct{ Network, IP string }

// NetworkIPs lists a container's addresses, the project's networks first.
func NetworkIPs(project string, nets map[string]*network.EndpointSettings) []NetworkIP {
	out := []NetworkIP{}
	for name, ep := range nets {
		if ep != nil && ep.IPAddress != "" {
			out = append(out, NetworkIP{Network: name, IP: ep.IPAddress})
		}
	}
	prefix := project + "_"
	sort.Slice(out, func(i, j int) bool {
		pi, pj := strings.HasPrefix(out[i].Network, prefix), strings.HasPrefix(out[j].Network, prefix)
		if pi != pj {
			return pi
		}
		return out[i].Network < out[j].Network
	})
	return out
}

func containerIPs(project string, s container.Summary) []string {
	out := []string{}
	if s.NetworkSettings == nil {
		return out
	}
	for _, n := range NetworkIPs(project, s.NetworkSettings.Networks) {
		out = append(out, n.Network+"="+n.IP)
	}
	return out
}

func containerPorts(s container.Summary) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, p := range s.Ports {
		var txt string
		if p.PublicPort == 0 {
			txt = convert.PortKey(int(p.PrivatePort), p.Type)
		} else {
			ip := p.IP
			if strings.Contains(ip, ":") {
				ip = "[" + ip + "]"
			}
			txt = fmt.Sprintf("%s:%d->%d/%s", ip, p.PublicPort, p.PrivatePort, p.Type)
		}
		if !seen[txt] {
			seen[txt] = true
			out = append(out, txt)
		}
	}
	sort.Strings(out)
	return out
}
