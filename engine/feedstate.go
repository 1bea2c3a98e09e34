package engine

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
)

// stateOf turns an inspect answer into a ContainerState.
func stateOf(project string, ins container.InspectResponse) ContainerState {
	st := ContainerState{ID: ins.ID, Name: strings.TrimPrefix(ins.Name, "/")}
	if ins.Config != nil {
		st.Service = ins.Config.Labels[LabelService]
		st.Number, _ = strconv.Atoi(ins.Config.Labels[LabelNumber])
		st.TTY = ins.Config.Tty
	}
	if s := ins.State; s != nil {
		st.State, st.ExitCode = s.Status, s.ExitCode
		st.StartedAt, _ = time.Parse(time.RFC3339Nano, s.StartedAt)
		st.FinishedAt, _ = time.Parse(time.RFC3339Nano, s.FinishedAt)
		if s.Health != nil {
			st.Health = string(s.Health.Status)
		}
	}
	if ins.ContainerJSONBase != nil {
		st.RestartCount = ins.RestartCount
	}
	if ns := ins.NetworkSettings; ns != nil {
		st.IPs = networkIPs(project, ns.Networks)
		st.Ports = portBindings(ns)
	}
	return st
}

func networkIPs(project string, nets map[string]*network.EndpointSettings) []NetworkIP {
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

func portBindings(ns *container.NetworkSettings) []PortBinding {
	out := []PortBinding{}
	seen := map[PortBinding]bool{}
	for port, binds := range ns.Ports {
		for _, b := range binds {
			hp, err := strconv.Atoi(b.HostPort)
			if err != nil || hp == 0 {
				continue
			}
			pb := PortBinding{HostIP: b.HostIP, HostPort: hp, ContainerPort: port.Int(), Proto: port.Proto()}
			if !seen[pb] {
				seen[pb] = true
				out = append(out, pb)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].ContainerPort != out[j].ContainerPort {
			return out[i].ContainerPort < out[j].ContainerPort
		}
		return out[i].HostIP < out[j].HostIP
	})
	return out
}
