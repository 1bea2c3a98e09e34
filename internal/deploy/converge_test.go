package deploy

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
)

func replicated(n uint64) swarm.Service {
	s := swarm.Service{ID: "s1"}
	s.Spec.Name = "shop_web"
	s.Spec.Mode.Replicated = &swarm.ReplicatedService{Replicas: &n}
	return s
}

func task(state swarm.TaskState, node, err string) swarm.Task {
	return swarm.Task{ServiceID: "s1", NodeID: node, DesiredState: swarm.TaskStateRunning,
		Status: swarm.TaskStatus{State: state, Err: err, Timestamp: time.Unix(0, 0)}}
}

func TestJudge(t *testing.T) {
	nodes := map[string]string{"n1": "node1", "n2": "node2"}
	running := task(swarm.TaskStateRunning, "n1", "")
	starting := task(swarm.TaskStateStarting, "n2", "") // healthcheck not passed yet
	updating := replicated(2)
	updating.UpdateStatus = &swarm.UpdateStatus{State: swarm.UpdateStateUpdating}
	rolledBack := replicated(2)
	rolledBack.UpdateStatus = &swarm.UpdateStatus{State: swarm.UpdateStateRollbackCompleted, Message: "rollback completed"}
	paused := replicated(2)
	paused.UpdateStatus = &swarm.UpdateStatus{State: swarm.UpdateStatePaused, Message: "update paused due to failure"}
	global := swarm.Service{ID: "s1", ServiceStatus: &swarm.ServiceStatus{DesiredTasks: 3}}
	global.Spec.Mode.Global = &swarm.GlobalService{}
	rejected := task(swarm.TaskStateRejected, "n2", "No such image: x:1")
	failed := task(swarm.TaskStateFailed, "n1", "task: non-zero exit (1)")
	for _, tc := range []struct {
		name             string
		s                swarm.Service
		tasks            []swarm.Task
		updated, created bool
		done             bool
		still            time.Duration // how long the tasks have been as they are
		text             string        // Running/Desired Phase
		err              error
	}{
		{"all running", replicated(2), []swarm.Task{running, running}, false, true, true, 0, "2/2 running", nil},
		{"one not healthy yet", replicated(2), []swarm.Task{running, starting}, false, true, false, 0, "1/2 running", nil},
		{"zero replicas", replicated(0), nil, false, true, true, 0, "0/0 running", nil},
		{"update in progress", updating, []swarm.Task{running, running}, true, false, false, 0, "2/2 updating", nil},
		{"old update status of another deploy", rolledBack, []swarm.Task{running, running}, false, false, true, 0, "2/2 running", nil},
		{"rolled back", rolledBack, []swarm.Task{running, running}, true, false, false, 0, "", ErrRolledBack},
		{"paused", paused, nil, true, false, false, 0, "", nil},
		{"global", global, []swarm.Task{running, running}, false, true, false, 0, "2/3 running", nil},
		{"unschedulable", replicated(1), []swarm.Task{task(swarm.TaskStatePending, "", "no suitable node (1 node not available for new tasks)")}, false, true, false, pendingGrace, "", ErrNoNode},
		{"unschedulable for a moment", replicated(1), []swarm.Task{task(swarm.TaskStatePending, "", "no suitable node (1 node not available for new tasks)")}, false, true, false, time.Second, "0/1 running", nil},
		{"pending without error", replicated(1), []swarm.Task{task(swarm.TaskStatePending, "", "")}, false, true, false, 0, "0/1 running", nil},
		{"rejected", replicated(1), []swarm.Task{rejected, rejected, rejected}, false, true, false, 0, "", ErrTasksFail},
		{"rejected twice", replicated(1), []swarm.Task{rejected, rejected}, false, true, false, 0, "0/1 running", nil},
		{"new service failing", replicated(1), []swarm.Task{failed, failed, failed}, false, true, false, 0, "", ErrTasksFail},
		{"new service whose tasks end", replicated(1), []swarm.Task{task(swarm.TaskStateComplete, "n1", ""), task(swarm.TaskStateComplete, "n1", ""), task(swarm.TaskStateComplete, "n1", "")}, false, true, false, 0, "", ErrTasksFail},
		{"updated service failing: update_config decides first", replicated(1), []swarm.Task{failed, failed, failed}, true, false, false, 0, "0/1 running", nil},
	} {
		v := judge(tc.s, sight{tasks: tc.tasks, still: tc.still}, tc.updated, tc.created, nodes)
		switch {
		case tc.name == "paused":
			if v.Err == nil {
				t.Errorf("%s: no error", tc.name)
			}
		case tc.err != nil:
			if !errors.Is(v.Err, tc.err) {
				t.Errorf("%s: err %v, want %v", tc.name, v.Err, tc.err)
			}
		default:
			got := ""
			if v.Err == nil {
				got = formatVerdict(v)
			}
			if v.Err != nil || v.Done != tc.done || got != tc.text {
				t.Errorf("%s: got done=%v %q err=%v, want done=%v %q", tc.name, v.Done, got, v.Err, tc.done, tc.text)
			}
		}
	}
}

func TestTaskErrors(t *testing.T) {
	nodes := map[string]string{"n1": "node1", "n2": "node2"}
	got := taskErrors("rejected", []swarm.Task{
		task(swarm.TaskStateRejected, "n2", "No such image: x:1"),
		task(swarm.TaskStateRejected, "n1", "No such image: x:1"),
	}, nodes)
	if want := "2 tasks rejected on node1, node2: No such image: x:1"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestJudgeRollingHostPort is a stop-first rolling update of 2 replicas
// publishing a host-mode port, at most 1 per node, on 2 nodes: the new
// task is pending ("host-mode port already in use") while the old task of
// its slot stops, and a moment after, until the scheduler tries again.
// Only a pending that stays so, with nothing stopping, is unplaceable.
func TestJudgeRollingHostPort(t *testing.T) {
	nodes := map[string]string{"n1": "node1", "n2": "node2"}
	s := replicated(2)
	s.Spec.TaskTemplate.Placement = &swarm.Placement{MaxReplicas: 1}
	s.Spec.EndpointSpec = &swarm.EndpointSpec{Ports: []swarm.PortConfig{{Protocol: "tcp", TargetPort: 80, PublishedPort: 18080, PublishMode: swarm.PortConfigPublishModeHost}}}
	s.Spec.UpdateConfig = &swarm.UpdateConfig{Parallelism: 1, Order: swarm.UpdateOrderStopFirst}
	s.UpdateStatus = &swarm.UpdateStatus{State: swarm.UpdateStateUpdating}
	pending := task(swarm.TaskStatePending, "", "no suitable node (host-mode port already in use on 2 nodes)")
	oldOn := func(node string, state, desired swarm.TaskState) swarm.Task {
		t := task(state, node, "")
		t.DesiredState = desired
		return t
	}
	stopping := oldOn("n1", swarm.TaskStateRunning, swarm.TaskStateShutdown)
	stopped := oldOn("n1", swarm.TaskStateShutdown, swarm.TaskStateShutdown)
	other := oldOn("n2", swarm.TaskStateRunning, swarm.TaskStateRunning)
	for _, tc := range []struct {
		name string
		s    swarm.Service
		seen sight
		text string   // the verdict while it waits
		err  []string // what the error says once it gives up
	}{
		{"old task stopping", s, sight{tasks: []swarm.Task{pending}, old: []swarm.Task{stopping, other}, still: 10 * pendingGrace}, "0/2 updating", nil},
		{"old task just stopped", s, sight{tasks: []swarm.Task{pending}, old: []swarm.Task{stopped, other}, still: time.Second}, "0/2 updating", nil},
		{"pending with nothing stopping", s, sight{tasks: []swarm.Task{pending}, old: []swarm.Task{stopped, other}, still: pendingGrace}, "",
			[]string{"no node satisfies the constraints", "pending for 20s", "host-mode port already in use on 2 nodes",
				"host-mode port 18080/tcp", "at most 1 per node", "1 task of the previous spec running on node2"}},
		{"start-first cannot free the port", withOrder(s, swarm.UpdateOrderStartFirst), sight{tasks: []swarm.Task{pending},
			old: []swarm.Task{oldOn("n1", swarm.TaskStateRunning, swarm.TaskStateRunning), other}, still: pendingGrace}, "",
			[]string{"2 tasks of the previous spec running on node1, node2", "update_config order start-first"}},
	} {
		v := judge(tc.s, tc.seen, true, false, nodes)
		switch {
		case tc.err == nil && v.Err != nil:
			t.Errorf("%s: err %v, want %q", tc.name, v.Err, tc.text)
		case tc.err == nil && formatVerdict(v) != tc.text:
			t.Errorf("%s: got %q, want %q", tc.name, formatVerdict(v), tc.text)
		case tc.err != nil && !errors.Is(v.Err, ErrNoNode):
			t.Errorf("%s: err %v, want %v", tc.name, v.Err, ErrNoNode)
		case tc.err != nil:
			for _, want := range tc.err {
				if !strings.Contains(v.Err.Error(), want) {
					t.Errorf("%s: %q does not say %q", tc.name, v.Err, want)
				}
			}
		}
	}
}

func withOrder(s swarm.Service, order string) swarm.Service {
	u := *s.Spec.UpdateConfig
	u.Order = order
	s.Spec.UpdateConfig = &u
	return s
}
