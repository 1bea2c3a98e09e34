package swarmfeed

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/swarm"
)

var t0 = time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)

func task(id, svc string, slot int, node string, desired, state swarm.TaskState, age time.Duration, err string) swarm.Task {
	return swarm.Task{ID: id, ServiceID: svc, Slot: slot, NodeID: node, DesiredState: desired,
		Status: swarm.TaskStatus{State: state, Timestamp: t0.Add(-age), Err: err}}
}

func TestVisibleTasks(t *testing.T) {
	const (
		run  = swarm.TaskStateRunning
		shut = swarm.TaskStateShutdown
		fail = swarm.TaskStateFailed
	)
	for _, tc := range []struct {
		name  string
		tasks []swarm.Task
		want  string
	}{
		{name: "running tasks, old shut down ones hidden",
			tasks: []swarm.Task{task("b", "web", 2, "n2", run, run, time.Minute, ""), task("a", "web", 1, "n1", run, run, time.Minute, ""),
				task("old", "web", 1, "n1", shut, shut, time.Hour, "")},
			want: "a b"},
		{name: "a task on its way out (drained node) stays until it stopped",
			tasks: []swarm.Task{task("new", "web", 1, "n1", run, swarm.TaskStateStarting, time.Second, ""), task("out", "web", 1, "n2", shut, run, time.Minute, "")},
			want:  "new out"},
		{name: "a slot crash looping shows its newest failure",
			tasks: []swarm.Task{task("f1", "web", 1, "n1", shut, fail, time.Minute, "exit 1"), task("f2", "web", 1, "n1", shut, fail, time.Second, "exit 2"),
				task("p", "web", 1, "n1", run, swarm.TaskStatePending, 0, "")},
			want: "p f2"},
		{name: "no failure shown once the slot runs again",
			tasks: []swarm.Task{task("f1", "web", 1, "n1", shut, fail, time.Minute, "exit 1"), task("r", "web", 1, "n1", run, run, time.Second, "")},
			want:  "r"},
		{name: "global tasks by node",
			tasks: []swarm.Task{task("g2", "agent", 0, "n2", run, run, 0, ""), task("g1", "agent", 0, "n1", run, run, 0, ""),
				task("gf", "agent", 0, "n3", shut, swarm.TaskStateRejected, 0, "no suitable node")},
			want: "g1 g2 gf"},
		{name: "a finished job's task stays", tasks: []swarm.Task{task("j", "job", 1, "n1", swarm.TaskStateComplete, swarm.TaskStateComplete, 0, "")},
			want: "j"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ids []string
			for _, tk := range VisibleTasks(tc.tasks) {
				ids = append(ids, tk.ID)
			}
			if got := strings.Join(ids, " "); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestServiceState(t *testing.T) {
	three := uint64(3)
	s := swarm.Service{ID: "s1"}
	s.Spec.Name = "shop_web"
	s.Spec.Mode.Replicated = &swarm.ReplicatedService{Replicas: &three}
	s.Spec.TaskTemplate.ContainerSpec = &swarm.ContainerSpec{Image: "reg:5000/app:1@sha256:abc"}
	s.ServiceStatus = &swarm.ServiceStatus{RunningTasks: 2, DesiredTasks: 3}
	s.UpdateStatus = &swarm.UpdateStatus{State: swarm.UpdateStatePaused, Message: "update paused due to failure"}
	s.Endpoint.Ports = []swarm.PortConfig{{Protocol: "tcp", TargetPort: 80, PublishedPort: 8080, PublishMode: swarm.PortConfigPublishModeIngress}, {TargetPort: 9000}}
	st := serviceState("shop", s)
	if st.Name != "web" || st.Mode != "replicated" || st.Running != 2 || st.Desired != 3 || st.Image != "reg:5000/app:1" ||
		st.Update != "paused" || st.UpdateMsg != "update paused due to failure" || len(st.Ports) != 1 ||
		st.Ports[0].HostPort != 8080 || st.Ports[0].ContainerPort != 80 || st.Ports[0].Mode != "ingress" {
		t.Errorf("%+v", st)
	}
	g := swarm.Service{}
	g.Spec.Name = "shop_agent"
	g.Spec.Mode.Global = &swarm.GlobalService{}
	if st := serviceState("shop", g); st.Mode != "global" || st.Desired != 0 || st.Image != "" {
		t.Errorf("global: %+v", st)
	}
	r := swarm.Service{}
	r.Spec.Name = "shop_one"
	r.Spec.Mode.Replicated = &swarm.ReplicatedService{}
	if st := serviceState("shop", r); st.Desired != 1 {
		t.Errorf("replicated without replicas wants 1: %+v", st)
	}
}

func TestTaskState(t *testing.T) {
	tk := task("t1", "s1", 2, "n2", swarm.TaskStateRunning, swarm.TaskStateRunning, time.Minute, "")
	tk.NetworksAttachments = []swarm.NetworkAttachment{
		{Network: swarm.Network{Spec: swarm.NetworkSpec{Annotations: swarm.Annotations{Name: "ingress"}, Ingress: true}}, Addresses: []string{"10.0.0.5/24"}},
		{Network: swarm.Network{Spec: swarm.NetworkSpec{Annotations: swarm.Annotations{Name: "shop_default"}}}, Addresses: []string{"10.0.1.3/24"}},
	}
	host := swarm.PortConfig{Protocol: "tcp", TargetPort: 80, PublishedPort: 30000, PublishMode: swarm.PortConfigPublishModeHost}
	tk.Status.PortStatus.Ports = []swarm.PortConfig{host, host}
	st := taskState(tk, map[string]string{"s1": "web"}, map[string]string{"n2": "node2"})
	if st.Name != "web.2" || st.Service != "web" || st.Number != 2 || st.Node != "node2" || st.State != "running" || st.Desired != "running" ||
		!st.StartedAt.Equal(t0.Add(-time.Minute)) || len(st.IPs) != 1 || st.IPs[0].Network != "shop_default" || st.IPs[0].IP != "10.0.1.3" ||
		len(st.Ports) != 1 || st.Ports[0].HostPort != 30000 || st.Ports[0].Mode != "host" {
		t.Errorf("%+v", st)
	}
	g := task("t2", "s1", 0, "abcdefghijklmnopqrstuvwxyz", swarm.TaskStateShutdown, swarm.TaskStateRejected, 0, "no suitable node")
	if st := taskState(g, map[string]string{"s1": "agent"}, nil); st.Name != "agent" || st.Node != "abcdefghijkl" || st.Error != "no suitable node" {
		t.Errorf("global, unknown node: %+v", st)
	}
}

func TestParseLine(t *testing.T) {
	at, d, text, ok := ParseLine("2026-01-02T10:00:00.123456789Z com.docker.swarm.node.id=n1,com.docker.swarm.service.id=s1,com.docker.swarm.task.id=t1,app=a%2Cb hello  world ")
	if !ok || !at.Equal(time.Date(2026, 1, 2, 10, 0, 0, 123456789, time.UTC)) || d["com.docker.swarm.task.id"] != "t1" ||
		d["com.docker.swarm.node.id"] != "n1" || d["app"] != "a,b" || text != "hello  world " {
		t.Errorf("%v %v %q %v", at, d, text, ok)
	}
	if _, _, text, ok := ParseLine("2026-01-02T10:00:00Z com.docker.swarm.task.id=t1"); !ok || text != "" {
		t.Errorf("an empty line: %q %v", text, ok)
	}
	for _, bad := range []string{"", "hello", "notatime details text", "2026-01-02T10:00:00Z k=%zz text"} {
		if _, _, _, ok := ParseLine(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestLinePrefix(t *testing.T) {
	s := New(nil, nil, "shop", 0)
	s.nodes["n1"] = "node1"
	s.tasks["t1"] = taskState(task("t1", "s1", 2, "n1", swarm.TaskStateRunning, swarm.TaskStateRunning, 0, ""), map[string]string{"s1": "web"}, s.nodes)
	l := s.line("web", t0, map[string]string{"com.docker.swarm.task.id": "t1", "com.docker.swarm.node.id": "n1"}, "hi")
	if l.Source != "web.2@node1" || l.Number != 2 || l.ContainerID != "t1" || l.Text != "hi" {
		t.Errorf("known task: %+v", l)
	}
	l = s.line("web", t0, map[string]string{"com.docker.swarm.task.id": "t9", "com.docker.swarm.node.id": "n1"}, "hi")
	if l.Source != "web@node1" {
		t.Errorf("a task not listed yet: %+v", l)
	}
	// Listed while still unassigned: the line's own node names it.
	s.tasks["t4"] = taskState(task("t4", "s1", 4, "", swarm.TaskStateRunning, swarm.TaskStatePending, 0, ""), map[string]string{"s1": "web"}, s.nodes)
	if l := s.line("web", t0, map[string]string{"com.docker.swarm.task.id": "t4", "com.docker.swarm.node.id": "n1"}, "hi"); l.Source != "web.4@node1" {
		t.Errorf("a task listed before it had a node: %+v", l)
	}
}

// fakeAPI answers the calls a new task's first log line makes.
type fakeAPI struct {
	API
	task  swarm.Task
	nodes []swarm.Node
}

func (f fakeAPI) TaskInspectWithRaw(_ context.Context, id string) (swarm.Task, []byte, error) {
	if id != f.task.ID {
		return swarm.Task{}, nil, errors.New("no such task")
	}
	return f.task, nil, nil
}

func (f fakeAPI) NodeList(context.Context, swarm.NodeListOptions) ([]swarm.Node, error) {
	return f.nodes, nil
}

func TestLinePrefixOfANewTask(t *testing.T) {
	n := swarm.Node{ID: "n2"}
	n.Description.Hostname = "node2"
	s := New(fakeAPI{task: task("t3", "s1", 3, "n2", swarm.TaskStateRunning, swarm.TaskStateStarting, 0, ""), nodes: []swarm.Node{n}}, nil, "shop", 0)
	d := map[string]string{"com.docker.swarm.task.id": "t3", "com.docker.swarm.node.id": "n2"}
	s.learnTask(context.Background(), "t3", "web")
	if l := s.line("web", t0, d, "hi"); l.Source != "web.3@node2" || l.Number != 3 {
		t.Errorf("%+v", l)
	}
}
