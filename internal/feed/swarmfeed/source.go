// Package swarmfeed is the feed's StackSource on a swarm manager: a
// deployed stack's services (labelled com.docker.stack.namespace=NAME, as
// docker stack deploy and devstack deploy label them), their tasks on
// every node, and their logs through the service logs API.
package swarmfeed

import (
	"context"
	"io"
	"sync"
	"time"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"

	"github.com/devstack/devstack/internal/feed"
	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/stack"
)

// API is the part of the Engine API the source calls.
type API interface {
	ServiceList(ctx context.Context, options swarm.ServiceListOptions) ([]swarm.Service, error)
	TaskList(ctx context.Context, options swarm.TaskListOptions) ([]swarm.Task, error)
	TaskInspectWithRaw(ctx context.Context, taskID string) (swarm.Task, []byte, error)
	NodeList(ctx context.Context, options swarm.NodeListOptions) ([]swarm.Node, error)
	ServiceLogs(ctx context.Context, serviceID string, options container.LogsOptions) (io.ReadCloser, error)
	Ping(ctx context.Context) (types.Ping, error)
}

// Source reads one deployed stack from a swarm manager.
type Source struct {
	api  API
	mon  *logs.Monitor // the stack's (engine.NewStackMonitor); nil: poll only
	ns   string
	tail int

	mu    sync.Mutex
	nodes map[string]string              // node ID -> hostname
	tasks map[string]feed.ContainerState // task ID -> as last listed, for log prefixes
	logs  logState
}

// New is the source of stack ns, refreshed on the events of mon (made by
// engine.NewStackMonitor for ns; nil: by polling only); logs start with
// the last tail lines of each service (all when tail is 0).
func New(api API, mon *logs.Monitor, ns string, tail int) *Source {
	return &Source{api: api, mon: mon, ns: ns, tail: tail, nodes: map[string]string{}, tasks: map[string]feed.ContainerState{},
		logs: logState{last: map[string]time.Time{}}}
}

// IsStack says whether the engine is a swarm manager with services of
// stack ns: then the dashboard shows the stack rather than containers.
// An engine outside a swarm, or a worker, answers the service list with
// 503, podman with 404: any error means no stack here (the containers'
// dashboard then reports an engine that does not answer).
func IsStack(ctx context.Context, api API, ns string) bool {
	svcs, err := api.ServiceList(ctx, swarm.ServiceListOptions{Filters: stackFilter(ns)})
	return err == nil && len(svcs) > 0
}

func stackFilter(ns string) filters.Args {
	return filters.NewArgs(filters.Arg("label", stack.LabelNamespace+"="+ns))
}

// Stack lists the stack's services and the tasks worth showing.
func (s *Source) Stack(ctx context.Context) ([]feed.ServiceState, []feed.ContainerState, error) {
	svcs, err := s.api.ServiceList(ctx, swarm.ServiceListOptions{Filters: stackFilter(s.ns), Status: true})
	if err != nil {
		return nil, nil, err
	}
	tasks, err := s.api.TaskList(ctx, swarm.TaskListOptions{Filters: stackFilter(s.ns)})
	if err != nil {
		return nil, nil, err
	}
	nodes, err := s.nodeNames(ctx, tasks)
	if err != nil {
		return nil, nil, err
	}
	names := map[string]string{}
	states := make([]feed.ServiceState, 0, len(svcs))
	for _, sv := range svcs {
		st := serviceState(s.ns, sv)
		names[sv.ID] = st.Name
		states = append(states, st)
	}
	visible := VisibleTasks(tasks)
	out := make([]feed.ContainerState, 0, len(visible))
	byID := map[string]feed.ContainerState{}
	for _, t := range tasks {
		byID[t.ID] = taskState(t, names, nodes)
	}
	for _, t := range visible {
		out = append(out, byID[t.ID])
	}
	s.mu.Lock()
	s.tasks = byID
	s.mu.Unlock()
	return states, out, nil
}

// nodeNames maps node IDs to hostnames, asking the engine again only when
// a task names a node not seen yet.
func (s *Source) nodeNames(ctx context.Context, tasks []swarm.Task) (map[string]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range tasks {
		if _, ok := s.nodes[t.NodeID]; ok || t.NodeID == "" {
			continue
		}
		nodes, err := s.api.NodeList(ctx, swarm.NodeListOptions{})
		if err != nil {
			return nil, err
		}
		for _, n := range nodes {
			s.nodes[n.ID] = n.Description.Hostname
		}
		for _, t := range tasks {
			if _, ok := s.nodes[t.NodeID]; !ok && t.NodeID != "" {
				s.nodes[t.NodeID] = "" // gone from the swarm: shown by its ID
			}
		}
		break
	}
	out := make(map[string]string, len(s.nodes))
	for k, v := range s.nodes {
		out[k] = v
	}
	return out, nil
}

// Changes signals each event of the stack's monitor (a service of the
// stack created, updated or removed, a node changed, a task's container
// on the manager started or died), several at once as one, so that the
// feed looks at the stack at once rather than at its next poll. Without a
// monitor it has no stream: the feed only polls.
func (s *Source) Changes(ctx context.Context) (<-chan struct{}, <-chan error) {
	if s.mon == nil {
		return nil, nil
	}
	evs, errs := s.mon.Subscribe(ctx, nil)
	out, outErrs := make(chan struct{}, 1), make(chan error, 1)
	go func() {
		defer close(outErrs)
		defer close(out)
		for range evs {
			select {
			case out <- struct{}{}:
			default: // one is already waiting
			}
		}
		outErrs <- <-errs
	}()
	return out, outErrs
}

// Ping says whether the engine answers.
func (s *Source) Ping(ctx context.Context) error {
	_, err := s.api.Ping(ctx)
	return err
}
