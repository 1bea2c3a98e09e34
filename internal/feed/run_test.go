package feed

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeSource is an engine the test drives: states by ID, and an event
// stream per session that the test feeds or breaks.
type fakeSource struct {
	mu       sync.Mutex
	states   map[string]ContainerState
	events   chan ContainerEvent
	errs     chan error
	sessions int
	lines    []LogLine
}

func newFakeSource(states ...ContainerState) *fakeSource {
	f := &fakeSource{states: map[string]ContainerState{}}
	for _, st := range states {
		f.states[st.ID] = st
	}
	return f
}

func (f *fakeSource) ContainerEvents(ctx context.Context) (<-chan ContainerEvent, <-chan error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sessions++
	f.events, f.errs = make(chan ContainerEvent), make(chan error, 1)
	evs, errs := f.events, f.errs
	out, outErrs := make(chan ContainerEvent), make(chan error, 1)
	go func() {
		defer close(outErrs)
		defer close(out)
		for {
			select {
			case <-ctx.Done():
				return
			case err := <-errs:
				outErrs <- err
				return
			case ev := <-evs:
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, outErrs
}

func (f *fakeSource) stream() (chan ContainerEvent, chan error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.events, f.errs
}

func (f *fakeSource) set(st ContainerState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.states[st.ID] = st
}

func (f *fakeSource) Containers(ctx context.Context) ([]ContainerState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []ContainerState
	for _, st := range f.states {
		out = append(out, st)
	}
	return out, nil
}

func (f *fakeSource) Inspect(ctx context.Context, id string) (ContainerState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	st, ok := f.states[id]
	if !ok {
		return ContainerState{ID: id}, ErrGone
	}
	return st, nil
}

func (f *fakeSource) Logs(ctx context.Context, send func(LogLine)) error {
	f.mu.Lock()
	lines := f.lines
	f.mu.Unlock()
	for _, l := range lines {
		send(l)
	}
	<-ctx.Done()
	return nil
}

func (f *fakeSource) Stats(ctx context.Context, id string, send func(Stats)) {}
func (f *fakeSource) Ping(ctx context.Context) error                         { return nil }

// collect reads batches until want says it has seen enough.
func collect(t *testing.T, out <-chan Batch, want func(Batch) bool) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case b := <-out:
			if want(b) {
				return
			}
		case <-deadline:
			t.Fatal("the feed never sent what the test waits for")
		}
	}
}

// The feed starts with the full state and the logs, turns an event into a
// state update and an events-line entry, and after a lost stream says so,
// reconnects and sends the full state again.
func TestRunFollowsAndReconnects(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src := newFakeSource(ContainerState{ID: "w1", Service: "web", Number: 1, State: "running"})
	src.lines = []LogLine{{ContainerID: "w1", Service: "web", Text: "ready"}}
	out := make(chan Batch)
	go Run(ctx, src, Options{}, out)

	var sawFull, sawLine bool
	collect(t, out, func(b Batch) bool {
		sawFull = sawFull || (b.Full && len(b.States) == 1 && b.States[0].State == "running")
		for _, l := range b.Lines {
			sawLine = sawLine || l.Text == "ready"
		}
		return sawFull && sawLine
	})

	src.set(ContainerState{ID: "w1", Service: "web", Number: 1, State: "exited", ExitCode: 3})
	evs, errs := src.stream()
	evs <- ContainerEvent{ID: "w1", Service: "web", Number: 1, Action: "die", ExitCode: "3"}
	evs <- ContainerEvent{ID: "w1", Service: "web", Number: 1, Action: "exec_start: sh"} // no state change, nothing said
	collect(t, out, func(b Batch) bool {
		for _, e := range b.Events {
			if strings.Contains(e.Text, "exec") {
				t.Errorf("an exec reached the events line: %+v", e)
			}
		}
		for _, e := range b.Events {
			if e.Text == "web exited with code 3" && len(b.States) == 1 && b.States[0].State == "exited" {
				return true
			}
		}
		return false
	})

	errs <- errors.New("connection reset")
	var lost, back bool
	collect(t, out, func(b Batch) bool {
		if b.Conn != nil && !b.Conn.Connected && strings.Contains(b.Conn.Err, "connection reset") {
			lost = true
		}
		if lost && b.Conn != nil && b.Conn.Connected {
			back = true
		}
		return back && b.Full
	})
	src.mu.Lock()
	defer src.mu.Unlock()
	if src.sessions != 2 {
		t.Errorf("%d sessions, want a second after the stream was lost", src.sessions)
	}
}
