package deploy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/docker/docker/api/types/swarm"
)

// Verdict is how far one service has converged.
type Verdict struct {
	Done             bool
	Running, Desired uint64
	Phase            string // "running", "updating", "rolling back", "completed"
	Err              error  // set when it will not converge by itself
	Why              string // what it waits for, when not Done
}

// failLimit is how many rejected (or, for a new service, failed) tasks
// show that the service cannot run: swarm replaces them forever.
const failLimit = 3

// judge decides from a service (listed with its status) and its tasks
// (seen) whether it has converged: as many up-to-date tasks running as
// desired (a task with a healthcheck is "starting" until healthy), no
// update in progress. A task the scheduler could not place is its failure
// only once it stays so (see unplaceable). updated says this deploy
// updated the service (a rollback is then its failure); created that it
// created it (failing tasks are then its failure; for an update,
// update_config's failure_action decides). nodes names node IDs. Why says
// what a service that has not converged waits for. Pure.
func judge(s swarm.Service, seen sight, updated, created bool, nodes map[string]string) Verdict {
	v := Verdict{Desired: desired(s), Phase: "running"}
	job := s.Spec.Mode.ReplicatedJob != nil || s.Spec.Mode.GlobalJob != nil
	var rejected, failed, pending []swarm.Task
	for _, t := range seen.tasks {
		switch {
		case t.Status.State == swarm.TaskStatePending && t.Status.Err != "" && t.DesiredState == swarm.TaskStateRunning:
			pending = append(pending, t)
		case t.Status.State == swarm.TaskStateRejected:
			rejected = append(rejected, t)
		case t.Status.State == swarm.TaskStateFailed, !job && t.Status.State == swarm.TaskStateComplete:
			failed = append(failed, t) // a service's task that ends (even with 0) did not stay up
		case job && t.Status.State == swarm.TaskStateComplete:
			v.Running++
		case !job && t.Status.State == swarm.TaskStateRunning && t.DesiredState == swarm.TaskStateRunning:
			v.Running++
		}
	}
	if err := unplaceable(s, pending, seen, nodes); err != nil {
		v.Err = err
		return v
	}
	if u := s.UpdateStatus; u != nil && updated {
		switch u.State {
		case swarm.UpdateStateUpdating:
			v.Phase = "updating"
		case swarm.UpdateStateRollbackStarted:
			v.Phase = "rolling back"
		case swarm.UpdateStateRollbackCompleted:
			v.Err = fmt.Errorf("service %s: %w: %s", s.Spec.Name, ErrRolledBack, u.Message)
			return v
		case swarm.UpdateStatePaused, swarm.UpdateStateRollbackPaused:
			v.Err = fmt.Errorf("service %s: update %s: %s", s.Spec.Name, u.State, u.Message)
			return v
		}
	}
	if len(rejected) >= failLimit && v.Running < v.Desired {
		v.Err = fmt.Errorf("service %s: %w: %s", s.Spec.Name, ErrTasksFail, taskErrors("rejected", rejected, nodes))
		return v
	}
	// A new service's failures are its own; an update's are first
	// update_config's to handle (rollback, pause), then ours.
	if (created && len(failed) >= failLimit || len(failed) >= 2*failLimit) && v.Running < v.Desired {
		v.Err = fmt.Errorf("service %s: %w: %s", s.Spec.Name, ErrTasksFail, taskErrors("failed", failed, nodes))
		return v
	}
	if job {
		v.Phase = "completed"
	}
	v.Done = v.Running >= v.Desired && (v.Phase == "running" || v.Phase == "completed")
	if !v.Done {
		v.Why = why(s, seen, pending, rejected, failed, nodes)
	}
	return v
}

// why says what keeps a service from having converged: tasks the
// scheduler cannot place, failing tasks, old tasks still stopping, the
// states of the tasks not running yet, the update's message.
func why(s swarm.Service, seen sight, pending, rejected, failed []swarm.Task, nodes map[string]string) string {
	var out []string
	if len(pending) > 0 {
		out = append(out, tasksN(len(pending))+" pending: "+pending[0].Status.Err)
	}
	if len(rejected) > 0 {
		out = append(out, taskErrors("rejected", rejected, nodes))
	}
	if len(failed) > 0 {
		out = append(out, taskErrors("failed", failed, nodes))
	}
	if n := len(stopping(seen.old)); n > 0 {
		out = append(out, tasksN(n)+" of the previous spec stopping")
	}
	states := map[swarm.TaskState]int{}
	var order []swarm.TaskState
	for _, t := range seen.tasks {
		if t.Status.State == swarm.TaskStateRunning || !live(t.Status.State) || t.Status.Err != "" {
			continue
		}
		if states[t.Status.State]++; states[t.Status.State] == 1 {
			order = append(order, t.Status.State)
		}
	}
	for _, st := range order {
		out = append(out, fmt.Sprintf("%s %s", tasksN(states[st]), st))
	}
	if u := s.UpdateStatus; u != nil && u.Message != "" && (u.State == swarm.UpdateStateUpdating || u.State == swarm.UpdateStateRollbackStarted) {
		out = append(out, "update: "+u.Message)
	}
	return strings.Join(out, "; ")
}

// desired is how many tasks the service wants running (or completed, for
// a job).
func desired(s swarm.Service) uint64 {
	m := s.Spec.Mode
	switch {
	case m.Replicated != nil:
		if m.Replicated.Replicas == nil {
			return 1
		}
		return *m.Replicated.Replicas
	case m.ReplicatedJob != nil && m.ReplicatedJob.TotalCompletions != nil:
		return *m.ReplicatedJob.TotalCompletions
	case m.ReplicatedJob != nil:
		return 1
	}
	if s.ServiceStatus != nil {
		return s.ServiceStatus.DesiredTasks
	}
	return 1
}

// taskErrors says on which nodes tasks ended in state, with the latest
// error of each distinct kind: "rejected on node2, node3: No such image: x".
func taskErrors(state string, tasks []swarm.Task, nodes map[string]string) string {
	slices.SortFunc(tasks, func(a, b swarm.Task) int { return b.Status.Timestamp.Compare(a.Status.Timestamp) })
	var where, errs []string
	for _, t := range tasks {
		n := nodes[t.NodeID]
		if n == "" {
			n = t.NodeID
		}
		if n != "" && !slices.Contains(where, n) {
			where = append(where, n)
		}
		e := t.Status.Err
		if e == "" && t.Status.ContainerStatus != nil {
			e = fmt.Sprintf("exit code %d", t.Status.ContainerStatus.ExitCode)
		}
		if e != "" && !slices.Contains(errs, e) && len(errs) < 2 {
			errs = append(errs, e)
		}
	}
	slices.Sort(where)
	return fmt.Sprintf("%d tasks %s on %s: %s", len(tasks), state, strings.Join(where, ", "), strings.Join(errs, "; "))
}
