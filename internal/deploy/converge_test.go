package deploy

import (
	"errors"
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
		text             string // Running/Desired Phase
		err              error
	}{
		{"all running", replicated(2), []swarm.Task{running, running}, false, true, true, "2/2 running", nil},
		{"one not healthy yet", replicated(2), []swarm.Task{running, starting}, false, true, false, "1/2 running", nil},
		{"zero replicas", replicated(0), nil, false, true, true, "0/0 running", nil},
		{"update in progress", updating, []swarm.Task{running, running}, true, false, false, "2/2 updating", nil},
		{"old update status of another deploy", rolledBack, []swarm.Task{running, running}, false, false, true, "2/2 running", nil},
		{"rolled back", rolledBack, []swarm.Task{running, running}, true, false, false, "", ErrRolledBack},
		{"paused", paused, nil, true, false, false, "", nil},
		{"global", global, []swarm.Task{running, running}, false, true, false, "2/3 running", nil},
		{"unschedulable", replicated(1), []swarm.Task{task(swarm.TaskStatePending, "", "no suitable node (1 node not available for new tasks)")}, false, true, false, "", ErrNoNode},
		{"pending without error", replicated(1), []swarm.Task{task(swarm.TaskStatePending, "", "")}, false, true, false, "0/1 running", nil},
		{"rejected", replicated(1), []swarm.Task{rejected, rejected, rejected}, false, true, false, "", ErrTasksFail},
		{"rejected twice", replicated(1), []swarm.Task{rejected, rejected}, false, true, false, "0/1 running", nil},
		{"new service failing", replicated(1), []swarm.Task{failed, failed, failed}, false, true, false, "", ErrTasksFail},
		{"new service whose tasks end", replicated(1), []swarm.Task{task(swarm.TaskStateComplete, "n1", ""), task(swarm.TaskStateComplete, "n1", ""), task(swarm.TaskStateComplete, "n1", "")}, false, true, false, "", ErrTasksFail},
		{"updated service failing: update_config decides first", replicated(1), []swarm.Task{failed, failed, failed}, true, false, false, "0/1 running", nil},
	} {
		v := judge(tc.s, tc.tasks, tc.updated, tc.created, nodes)
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
