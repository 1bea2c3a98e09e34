package logs

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/events"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/stack"
)

// fakeEvents is an engine event stream the test feeds by hand.
type fakeEvents struct {
	mu    sync.Mutex
	calls int
	msgs  chan events.Message
	errs  chan error
}

func newFakeEvents() *fakeEvents {
	return &fakeEvents{msgs: make(chan events.Message), errs: make(chan error, 1)}
}

func (f *fakeEvents) Events(ctx context.Context, _ events.ListOptions) (<-chan events.Message, <-chan error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	return f.msgs, f.errs
}

func msg(id, service string, action events.Action) events.Message {
	return events.Message{Action: action, Actor: events.Actor{ID: id, Attributes: map[string]string{convert.LabelService: service, convert.LabelNumber: "1", "name": "p-" + service + "-1"}}}
}

func next(t *testing.T, evs <-chan ContainerEvent) ContainerEvent {
	t.Helper()
	select {
	case ev := <-evs:
		return ev
	case <-time.After(2 * time.Second):
		t.Fatal("no event")
	}
	return ContainerEvent{}
}

func TestMonitorFansOutOneStream(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src := newFakeEvents()
	m := NewMonitor(src, "p")
	all, _ := m.Subscribe(ctx, nil)
	starts, _ := m.Subscribe(ctx, Actions(events.ActionStart))
	// Nobody reads "all" for a while: "starts" must not wait for it.
	src.msgs <- msg("a", "web", events.ActionCreate)
	src.msgs <- msg("a", "web", events.ActionStart)
	if ev := next(t, starts); ev.ID != "a" || ev.Action != events.ActionStart || ev.Service != "web" || ev.Number != 1 || ev.Name != "p-web-1" {
		t.Fatalf("start listener got %+v", ev)
	}
	if ev := next(t, all); ev.Action != events.ActionCreate {
		t.Fatalf("first event %+v, want create", ev)
	}
	if ev := next(t, all); ev.Action != events.ActionStart {
		t.Fatalf("second event %+v, want start", ev)
	}
	if src.calls != 1 {
		t.Errorf("%d subscriptions to the engine, want 1", src.calls)
	}
}

func TestMonitorStreamFailureEndsListeners(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src := newFakeEvents()
	m := NewMonitor(src, "p")
	evs, errs := m.Subscribe(ctx, nil)
	src.msgs <- msg("a", "web", events.ActionDie)
	src.errs <- errors.New("connection reset")
	var got []ContainerEvent
	for ev := range evs {
		got = append(got, ev)
	}
	if len(got) != 1 {
		t.Errorf("events before the failure: %+v", got)
	}
	if err := <-errs; err == nil {
		t.Fatal("no error after the stream failed")
	}
	// The next listener opens a new stream.
	m.Subscribe(ctx, nil)
	time.Sleep(50 * time.Millisecond)
	src.mu.Lock()
	defer src.mu.Unlock()
	if src.calls != 2 {
		t.Errorf("%d subscriptions, want a second after the failure", src.calls)
	}
}

func TestMonitorEndsWithContext(t *testing.T) {
	src := newFakeEvents()
	m := NewMonitor(src, "p")
	ctx, cancel := context.WithCancel(context.Background())
	evs, errs := m.Subscribe(ctx, nil)
	cancel()
	for range evs {
	}
	if err := <-errs; err != nil {
		t.Errorf("error %v after ctx ended, want nil", err)
	}
}

func TestStackMonitor(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src := newFakeEvents()
	m := NewStackMonitor(src, "shop")
	all, _ := m.Subscribe(ctx, nil)
	starts, _ := m.Subscribe(ctx, Actions(events.ActionStart))
	ev := func(typ events.Type, id string, action events.Action, attrs map[string]string) events.Message {
		return events.Message{Type: typ, Action: action, Actor: events.Actor{ID: id, Attributes: attrs}}
	}
	src.msgs <- ev(events.ContainerEventType, "other", events.ActionStart, map[string]string{stack.LabelNamespace: "shopping"})
	src.msgs <- ev(events.ServiceEventType, "s0", events.ActionUpdate, map[string]string{"name": "shopping_web"})
	src.msgs <- ev(events.ContainerEventType, "c1", events.ActionStart, map[string]string{stack.LabelNamespace: "shop", "name": "shop_web.1.x"})
	src.msgs <- ev(events.ServiceEventType, "s1", events.ActionUpdate, map[string]string{"name": "shop_web", "replicas.new": "3"})
	src.msgs <- ev(events.NodeEventType, "n2", events.ActionUpdate, map[string]string{"name": "node2"})
	for _, want := range []string{"container c1 start", "service s1 update", "node n2 update"} {
		e := next(t, all)
		if got := string(e.Type) + " " + e.ID + " " + string(e.Action); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	if e := next(t, starts); e.ID != "c1" {
		t.Errorf("a start listener got %+v", e)
	}
	select {
	case e := <-starts:
		t.Errorf("a start listener got a %s event", e.Type)
	case <-time.After(100 * time.Millisecond):
	}
}
