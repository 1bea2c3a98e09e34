package engine

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/events"
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
	return events.Message{Action: action, Actor: events.Actor{ID: id, Attributes: map[string]string{LabelService: service, LabelNumber: "1", "name": "p-" + service + "-1"}}}
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
