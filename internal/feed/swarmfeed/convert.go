package swarmfeed

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/docker/docker/api/types/swarm"

	"github.com/devstack/devstack/internal/deploy"
	"github.com/devstack/devstack/internal/feed"
)

// serviceState is how the dashboard shows a swarm service of stack ns.
func serviceState(ns string, s swarm.Service) feed.ServiceState {
	st := feed.ServiceState{ID: s.ID, Name: composeName(ns, s.Spec.Name)}
	if cs := s.Spec.TaskTemplate.ContainerSpec; cs != nil {
		st.Image, _, _ = strings.Cut(cs.Image, "@")
	}
	m := s.Spec.Mode
	switch {
	case m.Global != nil:
		st.Mode = "global"
	case m.ReplicatedJob != nil:
		st.Mode = "replicated-job"
	case m.GlobalJob != nil:
		st.Mode = "global-job"
	default:
		st.Mode = "replicated"
		st.Desired = 1
		if m.Replicated != nil && m.Replicated.Replicas != nil {
			st.Desired = int(*m.Replicated.Replicas)
		}
	}
	if s.ServiceStatus != nil {
		st.Running, st.Desired = int(s.ServiceStatus.RunningTasks), int(s.ServiceStatus.DesiredTasks)
	}
	if u := s.UpdateStatus; u != nil {
		st.Update, st.UpdateMsg = string(u.State), u.Message
	}
	ports := s.Endpoint.Ports
	if len(ports) == 0 && s.Spec.EndpointSpec != nil {
		ports = s.Spec.EndpointSpec.Ports
	}
	for _, p := range ports {
		if p.PublishedPort == 0 {
			continue
		}
		st.Ports = append(st.Ports, feed.PortBinding{HostPort: int(p.PublishedPort), ContainerPort: int(p.TargetPort),
			Proto: string(p.Protocol), Mode: string(p.PublishMode)})
	}
	return st
}

// composeName is the compose service's name of the swarm service: the
// stack's prefix taken off, as docker stack deploy names them NS_SERVICE.
func composeName(ns, name string) string { return strings.TrimPrefix(name, ns+"_") }

// taskState is how the dashboard shows a task; nodes maps node IDs to
// hostnames, services service IDs to compose names.
func taskState(t swarm.Task, services, nodes map[string]string) feed.ContainerState {
	svc := services[t.ServiceID]
	st := feed.ContainerState{
		ID: t.ID, Name: taskName(svc, t.Slot), Service: svc, Number: t.Slot,
		State: string(t.Status.State), StartedAt: t.Status.Timestamp,
		Node: nodes[t.NodeID], Desired: string(t.DesiredState), Error: t.Status.Err,
		IPs: []feed.NetworkIP{}, Ports: []feed.PortBinding{},
	}
	if st.Node == "" && t.NodeID != "" {
		st.Node = shortID(t.NodeID)
	}
	for _, a := range t.NetworksAttachments {
		if a.Network.Spec.Name == "ingress" || a.Network.Spec.Ingress {
			continue // every task of a service publishing through ingress has one: not the stack's
		}
		for _, addr := range a.Addresses {
			ip, _, _ := strings.Cut(addr, "/")
			st.IPs = append(st.IPs, feed.NetworkIP{Network: a.Network.Spec.Name, IP: ip})
		}
	}
	for _, p := range t.Status.PortStatus.Ports {
		pb := feed.PortBinding{HostPort: int(p.PublishedPort), ContainerPort: int(p.TargetPort),
			Proto: string(p.Protocol), Mode: string(p.PublishMode)}
		if !slices.Contains(st.Ports, pb) { // listed again per address family
			st.Ports = append(st.Ports, pb)
		}
	}
	return st
}

// taskName is SERVICE.SLOT, as docker service ps names a task; a global
// service's tasks have no slot and are told apart by their node.
func taskName(service string, slot int) string {
	if slot == 0 {
		return service
	}
	return service + "." + strconv.Itoa(slot)
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// wanted says whether swarm wants the task to run (or, a job's, to complete).
func wanted(t swarm.Task) bool {
	return !deploy.Terminal(t.DesiredState) || t.DesiredState == swarm.TaskStateComplete
}

// slotKey tells a task's place in its service: its slot, or its node for a
// global service.
func slotKey(t swarm.Task) string {
	if t.Slot == 0 {
		return t.ServiceID + "/" + t.NodeID
	}
	return t.ServiceID + "/" + strconv.Itoa(t.Slot)
}

// VisibleTasks picks the tasks worth a row: those swarm wants running (or
// complete, for jobs), those still running on their way out (a drained
// node, a scale down), and, for a place where no task runs, the newest
// that ended with an error, to show why. Sorted by service, slot and node,
// newest first. Pure.
func VisibleTasks(tasks []swarm.Task) []swarm.Task {
	var out []swarm.Task
	running := map[string]bool{}
	for _, t := range tasks {
		if wanted(t) || !deploy.Terminal(t.Status.State) {
			out = append(out, t)
			if t.Status.State == swarm.TaskStateRunning {
				running[slotKey(t)] = true
			}
		}
	}
	failed := map[string]swarm.Task{}
	for _, t := range tasks {
		k := slotKey(t)
		if running[k] || !deploy.Terminal(t.Status.State) || t.Status.Err == "" || wanted(t) {
			continue
		}
		if prev, ok := failed[k]; !ok || t.Status.Timestamp.After(prev.Status.Timestamp) {
			failed[k] = t
		}
	}
	for _, t := range failed {
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b swarm.Task) int {
		return cmp.Or(cmp.Compare(a.ServiceID, b.ServiceID), cmp.Compare(a.Slot, b.Slot),
			cmp.Compare(a.NodeID, b.NodeID), b.Status.Timestamp.Compare(a.Status.Timestamp))
	})
	return out
}
