package kubefeed

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/devstack/devstack/internal/feed"
	"github.com/devstack/devstack/internal/kube/wire"
)

// Stack is the state as the dashboard shows a deployed stack: each
// workload as a service (its kind as the mode, ready replicas of those
// wanted, image, rollout, the node ports of its Services), each pod as a
// task (node, phase, restarts, address), sorted by name. Pure.
func (s *State) Stack() ([]feed.ServiceState, []feed.ContainerState) {
	svcs := make([]feed.ServiceState, 0, len(s.workloads))
	for _, w := range s.workloads {
		st := feed.ServiceState{ID: w.Kind + "/" + w.Name, Name: serviceOf(w), Mode: w.Kind,
			Running: int(w.Ready), Desired: int(w.Desired), Image: w.Image}
		switch {
		case w.Failed != "":
			st.Update, st.UpdateMsg = "failed", w.Failed
		case w.Rolling:
			st.Update = "updating"
		}
		st.Ports = s.ports(st.Name)
		svcs = append(svcs, st)
	}
	slices.SortFunc(svcs, func(a, b feed.ServiceState) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})
	pods := make([]feed.ContainerState, 0, len(s.pods))
	for _, p := range s.pods {
		pods = append(pods, PodState(p))
	}
	slices.SortFunc(pods, func(a, b feed.ContainerState) int {
		return cmp.Or(strings.Compare(a.Service, b.Service), strings.Compare(a.Name, b.Name))
	})
	return svcs, pods
}

// ports are the node ports of the service's Services.
func (s *State) ports(service string) []feed.PortBinding {
	var out []feed.PortBinding
	for _, sv := range s.services {
		if sv.Service != service {
			continue
		}
		for _, p := range sv.Ports {
			out = append(out, feed.PortBinding{HostPort: int(p.NodePort), ContainerPort: int(p.Target), Proto: p.Proto})
		}
	}
	slices.SortFunc(out, func(a, b feed.PortBinding) int { return cmp.Compare(a.HostPort, b.HostPort) })
	return out
}

// PodState is a pod as the dashboard shows a task: its phase in lower
// case ("unready" when it runs but not all its containers are ready),
// its restarts, and why it does not run or last ended. Pure.
func PodState(p wire.Pod) feed.ContainerState {
	st := feed.ContainerState{ID: p.Name, Name: p.Name, Service: p.Service, State: strings.ToLower(p.Phase),
		StartedAt: p.Started, Node: p.Node, RestartCount: int(p.Restarts), IPs: []feed.NetworkIP{}}
	if st.State == "running" && !allReady(p.Ready) {
		st.State = "unready"
	}
	if p.IP != "" {
		st.IPs = append(st.IPs, feed.NetworkIP{Network: "pod", IP: p.IP})
	}
	switch {
	case p.Reason != "":
		st.Error = p.Reason
	case p.Restarts > 0 && p.LastEnd != "":
		st.Error = "last ended: " + p.LastEnd
	}
	return st
}

// allReady reads deploy ps's READY column: "1/1".
func allReady(ready string) bool {
	var n, of int
	if _, err := fmt.Sscanf(ready, "%d/%d", &n, &of); err != nil {
		return true
	}
	return n >= of
}
