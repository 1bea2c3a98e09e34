package feed

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestStackEvents(t *testing.T) {
	at := time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)
	web := ServiceState{ID: "s1", Name: "web", Mode: "replicated", Running: 2, Desired: 2, Image: "app:1"}
	task := func(id, name, node, state string) ContainerState {
		return ContainerState{ID: id, Name: name, Service: "web", Node: node, State: state}
	}
	with := func(s ServiceState, f func(*ServiceState)) ServiceState { f(&s); return s }
	for _, tc := range []struct {
		name             string
		prevSvcs, svcs   []ServiceState
		prevTasks, tasks []ContainerState
		want             []string
	}{
		{name: "nothing changed", prevSvcs: []ServiceState{web}, svcs: []ServiceState{web},
			prevTasks: []ContainerState{task("t1", "web.1", "n1", "running")}, tasks: []ContainerState{task("t1", "web.1", "n1", "running")}},
		{name: "created and removed", prevSvcs: []ServiceState{web}, svcs: []ServiceState{{ID: "s2", Name: "db"}},
			want: []string{"db: db created", "web: web removed"}},
		{name: "scaled", prevSvcs: []ServiceState{web}, svcs: []ServiceState{with(web, func(s *ServiceState) { s.Desired = 3 })},
			want: []string{"web: web scaled to 3"}},
		{name: "a global service's desired count follows the nodes: no event",
			prevSvcs: []ServiceState{with(web, func(s *ServiceState) { s.Mode = "global" })},
			svcs:     []ServiceState{with(web, func(s *ServiceState) { s.Mode, s.Desired = "global", 3 })}},
		{name: "update progress", prevSvcs: []ServiceState{web},
			svcs: []ServiceState{with(web, func(s *ServiceState) { s.Image, s.Update, s.UpdateMsg = "app:2", "updating", "update in progress" })},
			want: []string{"web: web image app:2", "web: web updating"}},
		{name: "rolled back with the reason",
			prevSvcs: []ServiceState{with(web, func(s *ServiceState) { s.Update = "rollback_started" })},
			svcs:     []ServiceState{with(web, func(s *ServiceState) { s.Update, s.UpdateMsg = "rollback_completed", "rollback completed" })},
			want:     []string{"web: web rolled back: rollback completed"}},
		{name: "task states", prevSvcs: []ServiceState{web}, svcs: []ServiceState{web},
			prevTasks: []ContainerState{task("t1", "web.1", "n1", "starting"), task("t2", "web.2", "n2", "running"), task("t3", "web.3", "n2", "running")},
			tasks: []ContainerState{task("t1", "web.1", "n1", "running"), task("t3", "web.3", "n2", "shutdown"),
				{ID: "t4", Name: "web.2", Service: "web", Node: "n1", State: "failed", Error: "task: non-zero exit (3)"}, task("t5", "web.4", "", "pending")},
			want: []string{"web: web.1 running on n1", "web: web.3 shutdown on n2", "web: web.2 failed on n1: task: non-zero exit (3)",
				"web: web.2 shut down on n2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, e := range StackEvents(tc.prevSvcs, tc.svcs, tc.prevTasks, tc.tasks, at) {
				if !e.Time.Equal(at) {
					t.Errorf("event time %v", e.Time)
				}
				got = append(got, e.Service+": "+e.Text)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// fakeStack is a swarm manager the test drives.
type fakeStack struct {
	mu       sync.Mutex
	svcs     []ServiceState
	tasks    []ContainerState
	err      error
	changes  chan struct{}
	lines    []LogLine
	sessions int
}

func (f *fakeStack) Stack(context.Context) ([]ServiceState, []ContainerState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]ServiceState(nil), f.svcs...), append([]ContainerState(nil), f.tasks...), f.err
}

func (f *fakeStack) Changes(context.Context) (<-chan struct{}, <-chan error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sessions++
	return f.changes, nil
}

func (f *fakeStack) Logs(ctx context.Context, send func(LogLine)) error {
	for _, l := range f.lines {
		send(l)
	}
	<-ctx.Done()
	return ctx.Err()
}

func (f *fakeStack) Ping(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

func (f *fakeStack) set(fn func(*fakeStack)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

// next returns the next batch that satisfies ok, failing after a while.
func next(t *testing.T, out <-chan Batch, ok func(Batch) bool) Batch {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case b := <-out:
			if ok(b) {
				return b
			}
		case <-deadline:
			t.Fatal("no such batch within 5s")
		}
	}
}

func TestRunStack(t *testing.T) {
	web := ServiceState{ID: "s1", Name: "web", Mode: "replicated", Running: 1, Desired: 1}
	src := &fakeStack{svcs: []ServiceState{web}, tasks: []ContainerState{{ID: "t1", Name: "web.1", Service: "web", Number: 1, Node: "n1", State: "running"}},
		changes: make(chan struct{}), lines: []LogLine{{Service: "web", Text: "hello", Source: "web.1@n1"}}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make(chan Batch)
	go RunStack(ctx, src, StackOptions{Poll: time.Hour}, out)

	var stack, line bool
	next(t, out, func(b Batch) bool {
		if b.Stack {
			stack = true
			if !b.Full || len(b.Services) != 1 || len(b.States) != 1 || b.States[0].Node != "n1" {
				t.Fatalf("first batch %+v", b)
			}
		}
		line = line || len(b.Lines) == 1 && b.Lines[0].Source == "web.1@n1"
		return stack && line
	})

	// A change signal refreshes at once: scaled to 2, a second task running.
	src.set(func(f *fakeStack) {
		f.svcs[0].Desired, f.svcs[0].Running = 2, 2
		f.tasks = append(f.tasks, ContainerState{ID: "t2", Name: "web.2", Service: "web", Number: 2, Node: "n2", State: "running"})
	})
	src.changes <- struct{}{}
	b := next(t, out, func(b Batch) bool { return b.Stack })
	if len(b.States) != 2 || b.Services[0].Desired != 2 {
		t.Fatalf("after scaling: %+v", b)
	}
	var texts []string
	for _, e := range b.Events {
		texts = append(texts, e.Text)
	}
	if got := strings.Join(texts, "; "); got != "web scaled to 2; web.2 running on n2" {
		t.Errorf("events %q", got)
	}

	// The engine going away is said, and the stack sent whole again when it is back.
	src.set(func(f *fakeStack) { f.err = errors.New("connection refused") })
	src.changes <- struct{}{}
	b = next(t, out, func(b Batch) bool { return b.Conn != nil })
	if b.Conn.Connected || !strings.Contains(b.Conn.Err, "connection refused") {
		t.Fatalf("conn %+v", b.Conn)
	}
	src.set(func(f *fakeStack) { f.err = nil })
	connected := false
	next(t, out, func(b Batch) bool {
		connected = connected || b.Conn != nil && b.Conn.Connected
		return connected && b.Stack && b.Full && len(b.States) == 2
	})
}

func TestRunStackPolls(t *testing.T) {
	src := &fakeStack{svcs: []ServiceState{{ID: "s1", Name: "web"}}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make(chan Batch)
	go RunStack(ctx, src, StackOptions{Poll: 20 * time.Millisecond}, out)
	next(t, out, func(b Batch) bool { return b.Stack })
	src.set(func(f *fakeStack) {
		f.tasks = []ContainerState{{ID: "t1", Name: "web.1", Service: "web", State: "running"}}
	})
	next(t, out, func(b Batch) bool { return b.Stack && len(b.States) == 1 })
}

// eventerStack is a fakeStack with events of its own.
type eventerStack struct {
	*fakeStack
	evs []Event
}

func (e *eventerStack) TakeEvents() []Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.evs
	e.evs = nil
	return out
}

// A StackEventer's events go out at each look, even when the stack did not
// change; with Poll < 0 only the source's changes make the feed look.
func TestRunStackEventer(t *testing.T) {
	src := &eventerStack{fakeStack: &fakeStack{svcs: []ServiceState{{ID: "s1", Name: "web"}}, changes: make(chan struct{})}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make(chan Batch)
	go RunStack(ctx, src, StackOptions{Poll: -1}, out)
	next(t, out, func(b Batch) bool { return b.Stack })
	src.set(func(f *fakeStack) {
		f.tasks = []ContainerState{{ID: "t1", Name: "web-1", Service: "web", State: "running"}}
	})
	select {
	case b := <-out:
		t.Fatalf("a batch without a change to look at: %+v", b)
	case <-time.After(100 * time.Millisecond):
	}
	src.mu.Lock()
	src.evs = []Event{{Service: "web", Text: "web-1 BackOff: Back-off restarting failed container"}}
	src.mu.Unlock()
	src.changes <- struct{}{}
	var seen, stack bool
	next(t, out, func(b Batch) bool {
		for _, e := range b.Events {
			seen = seen || e.Text == "web-1 BackOff: Back-off restarting failed container"
		}
		stack = stack || b.Stack && len(b.States) == 1
		return seen && stack
	})
}

// TestUpdateText pins the words for swarm's update states, which the
// events and the dashboard's update column share.
func TestUpdateText(t *testing.T) {
	for state, want := range map[string]string{
		"updating":           "updating",
		"paused":             "update paused",
		"completed":          "updated",
		"rollback_started":   "rolling back",
		"rollback_paused":    "rollback paused",
		"rollback_completed": "rolled back",
		"failed":             "failed",
		"unknown":            "update unknown",
	} {
		if got := UpdateText(state); got != want {
			t.Errorf("UpdateText(%q) = %q, want %q", state, got, want)
		}
	}
}

func TestDiffByID(t *testing.T) {
	type v struct{ id, val string }
	var got []string
	diffByID([]v{{"a", "1"}, {"b", "1"}, {"c", "1"}}, []v{{"c", "2"}, {"d", "1"}, {"a", "1"}},
		func(x v) string { return x.id },
		func(p v, had bool, n v) { got = append(got, fmt.Sprintf("%s:%s->%s(%v)", n.id, p.val, n.val, had)) },
		func(p v) { got = append(got, p.id+" gone") })
	want := "c:1->2(true) d:->1(false) a:1->1(true) b gone"
	if strings.Join(got, " ") != want {
		t.Errorf("got %q, want %q", strings.Join(got, " "), want)
	}
}
