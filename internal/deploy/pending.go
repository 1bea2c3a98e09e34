package deploy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/docker/docker/api/types/swarm"
)

// sight is what a wait saw of one service's tasks.
type sight struct {
	tasks []swarm.Task  // of the service's current spec (up to date)
	old   []swarm.Task  // of its earlier specs
	still time.Duration // how long all of them have been as they are
}

// pendingGrace is how long a task may stay pending with a scheduler error,
// nothing changing and nothing stopping, before it counts as unplaceable.
// The scheduler tries again when a task stops or a node changes; until it
// does, the error of its last try stays on the task (a stop-first update
// with host-mode ports shows "host-mode port already in use" for a moment
// after the old task stopped).
const pendingGrace = 20 * time.Second

// unplaceable is the error for tasks (pending ones the scheduler could
// not place) that stay so: none while a task of an earlier spec is still
// stopping (it holds its node, ports and resources until it has stopped),
// nor before pendingGrace has passed with nothing changing. The error says
// what the service asks of a node and what still runs there. Pure.
func unplaceable(s swarm.Service, pending []swarm.Task, seen sight, nodes map[string]string) error {
	if len(pending) == 0 || seen.still < pendingGrace || len(stopping(seen.old)) > 0 {
		return nil
	}
	msg := fmt.Sprintf("%s pending for %s with nothing stopping to make room: %s",
		tasksN(len(pending)), seen.still.Round(time.Second), pending[0].Status.Err)
	if asks := placementAsks(s); asks != "" {
		msg += "; the service asks for " + asks
	}
	if running := runningOld(seen.old); len(running) > 0 {
		msg += fmt.Sprintf("; %s of the previous spec running on %s", tasksN(len(running)), nodeList(running, nodes))
		if u := s.Spec.UpdateConfig; u != nil && u.Order == swarm.UpdateOrderStartFirst {
			msg += " (update_config order start-first keeps them until the new ones run: stop-first frees their nodes)"
		}
	}
	return fmt.Errorf("service %s: %w: %s", s.Spec.Name, ErrNoNode, msg)
}

// live says whether a task holds its node: not yet or still running.
func live(state swarm.TaskState) bool {
	switch state {
	case swarm.TaskStateNew, swarm.TaskStateAllocated, swarm.TaskStatePending, swarm.TaskStateAssigned,
		swarm.TaskStateAccepted, swarm.TaskStatePreparing, swarm.TaskStateReady, swarm.TaskStateStarting,
		swarm.TaskStateRunning:
		return true
	}
	return false
}

// stopping is the tasks told to shut down that have not stopped yet.
func stopping(tasks []swarm.Task) []swarm.Task {
	var out []swarm.Task
	for _, t := range tasks {
		if t.DesiredState != swarm.TaskStateRunning && t.DesiredState != swarm.TaskStateReady && live(t.Status.State) {
			out = append(out, t)
		}
	}
	return out
}

// runningOld is the tasks that run and are meant to.
func runningOld(tasks []swarm.Task) []swarm.Task {
	var out []swarm.Task
	for _, t := range tasks {
		if t.Status.State == swarm.TaskStateRunning && t.DesiredState == swarm.TaskStateRunning {
			out = append(out, t)
		}
	}
	return out
}

// placementAsks says what of the spec limits where a task goes: host-mode
// ports, a replica limit per node, constraints.
func placementAsks(s swarm.Service) string {
	var asks []string
	if e := s.Spec.EndpointSpec; e != nil {
		for _, p := range e.Ports {
			if p.PublishMode == swarm.PortConfigPublishModeHost && p.PublishedPort != 0 {
				asks = append(asks, fmt.Sprintf("host-mode port %d/%s", p.PublishedPort, p.Protocol))
			}
		}
	}
	if p := s.Spec.TaskTemplate.Placement; p != nil {
		if p.MaxReplicas > 0 {
			asks = append(asks, fmt.Sprintf("at most %d per node (max_replicas_per_node)", p.MaxReplicas))
		}
		if len(p.Constraints) > 0 {
			asks = append(asks, "constraints "+strings.Join(p.Constraints, ", "))
		}
	}
	return strings.Join(asks, ", ")
}

// nodeList is the sorted hostnames the tasks run on.
func nodeList(tasks []swarm.Task, nodes map[string]string) string {
	var out []string
	for _, t := range tasks {
		n := nodes[t.NodeID]
		if n == "" {
			n = t.NodeID
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}

// tasksN is "1 task" or "N tasks".
func tasksN(n int) string {
	if n == 1 {
		return "1 task"
	}
	return fmt.Sprintf("%d tasks", n)
}
