package deploy

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/docker/docker/api/types/swarm"
)

// Task is one task of a stack's service, as `deploy ps` shows it.
type Task struct {
	ID        string
	Name      string // SERVICE.SLOT, or SERVICE.NODEID for a global service
	Service   string // the swarm service's name
	Image     string
	Node      string // hostname; "" while unassigned
	Desired   string // running, shutdown, ...
	Current   string // running, starting, pending, failed, ...
	Since     time.Time
	Error     string
	Addresses []Address
}

// Address is a task's IP on one network.
type Address struct {
	Network, IP string
}

// Terminal reports whether a task in state s has ended and will not run
// again (as the docker CLI counts it: any state after running).
func Terminal(s swarm.TaskState) bool {
	switch s {
	case swarm.TaskStateComplete, swarm.TaskStateShutdown, swarm.TaskStateFailed,
		swarm.TaskStateRejected, swarm.TaskStateRemove, swarm.TaskStateOrphaned:
		return true
	}
	return false
}

// Tasks lists the stack's tasks, by service and slot, the ones meant to
// run first, then newest first.
func Tasks(ctx context.Context, api API, ns string) ([]Task, error) {
	if err := ensureManager(ctx, api); err != nil {
		return nil, err
	}
	services, err := api.ServiceList(ctx, swarm.ServiceListOptions{Filters: stackFilter(ns)})
	if err != nil {
		return nil, err
	}
	if len(services) == 0 {
		return nil, fmt.Errorf("%w: %s", ErrNoStack, ns)
	}
	names := map[string]string{}
	for _, s := range services {
		names[s.ID] = s.Spec.Name
	}
	tasks, err := api.TaskList(ctx, swarm.TaskListOptions{Filters: stackFilter(ns)})
	if err != nil {
		return nil, err
	}
	nodes, err := nodeNames(ctx, api)
	if err != nil {
		return nil, err
	}
	out := make([]Task, 0, len(tasks))
	for _, t := range tasks {
		out = append(out, taskRow(t, names[t.ServiceID], nodes))
	}
	slices.SortFunc(out, func(a, b Task) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(rank(a), rank(b)), b.Since.Compare(a.Since))
	})
	return out, nil
}

func taskRow(t swarm.Task, service string, nodes map[string]string) Task {
	name := fmt.Sprintf("%s.%d", service, t.Slot)
	if t.Slot == 0 {
		name = service + "." + t.NodeID
	}
	row := Task{
		ID: t.ID, Name: name, Service: service, Node: nodes[t.NodeID],
		Desired: string(t.DesiredState), Current: string(t.Status.State), Since: t.Status.Timestamp,
		Error: t.Status.Err,
	}
	if cs := t.Spec.ContainerSpec; cs != nil {
		row.Image, _, _ = strings.Cut(cs.Image, "@")
	}
	for _, a := range t.NetworksAttachments {
		for _, addr := range a.Addresses {
			ip, _, _ := strings.Cut(addr, "/")
			row.Addresses = append(row.Addresses, Address{Network: a.Network.Spec.Name, IP: ip})
		}
	}
	return row
}

// rank puts the tasks meant to run before those shut down.
func rank(t Task) int {
	if t.Desired == string(swarm.TaskStateRunning) {
		return 0
	}
	return 1
}
