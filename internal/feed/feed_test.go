package feed

import (
	"context"
	"testing"
	"time"
)

func TestFullBatchOneEntryPerContainer(t *testing.T) {
	var b Batch
	addToBatch(&b, ContainerState{ID: "x", State: "exited"}) // before the snapshot: superseded
	addToBatch(&b, fullStates{{ID: "a", State: "running"}, {ID: "b", State: "running"}})
	addToBatch(&b, ContainerState{ID: "a", State: "exited"})
	addToBatch(&b, ContainerState{ID: "b", Removed: true})
	addToBatch(&b, ContainerState{ID: "c", State: "created"})
	if !b.Full || len(b.States) != 2 || b.States[0].State != "exited" || b.States[1].ID != "c" {
		t.Fatalf("full batch %+v", b.States)
	}
}

func TestBatchFlushes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	in, out := make(chan any), make(chan Batch)
	go batch(ctx, in, out, time.Hour, 3) // only the line limit flushes
	for i := 0; i < 3; i++ {
		in <- LogLine{Text: "l"}
	}
	if b := <-out; len(b.Lines) != 3 {
		t.Fatalf("batch of %d lines", len(b.Lines))
	}
	in, out = make(chan any, 2), make(chan Batch)     // buffered: a tick between the two sends must not block the test
	go batch(ctx, in, out, 10*time.Millisecond, 1000) // the interval flushes what is there
	in <- LogLine{Text: "one"}
	in <- Stats{ContainerID: "a"}
	select {
	case b := <-out:
		if len(b.Lines)+len(b.Stats) == 0 {
			t.Fatal("empty batch")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no batch within the interval")
	}
}

func TestRecreatedDetection(t *testing.T) {
	f := &feed{slots: map[string]slot{}}
	now := time.Now()
	ev := func(action string, id string, at time.Time) ContainerEvent {
		return ContainerEvent{Action: action, ID: id, Service: "web", Number: 1, Time: at}
	}
	if f.replaced(ev("create", "a", now)) {
		t.Error("a first container is not a recreate")
	}
	f.replaced(ev("destroy", "a", now))
	if !f.replaced(ev("create", "b", now.Add(time.Second))) {
		t.Error("a container replacing a removed one is a recreate")
	}
	f.replaced(ev("destroy", "b", now))
	if f.replaced(ev("create", "c", now.Add(2*time.Minute))) {
		t.Error("a container created long after the last one went is new")
	}
}

// Execs (healthchecks, shells, watch's reload hooks) change no state and
// say nothing: a reload reaches the dashboard as a progress event.
func TestExecEventsIgnored(t *testing.T) {
	in := make(chan any, 4)
	f := &feed{loop: loop{in: in}, slots: map[string]slot{}}
	for _, a := range []string{"exec_start: nginx -s reload", "exec_create: sh", "exec_die"} {
		f.onEvent(context.Background(), ContainerEvent{Action: a, ID: "x", Service: "web", Number: 1})
	}
	if len(in) != 0 {
		t.Fatalf("%d messages, want none", len(in))
	}
}

// A probe's exec_die on a container with a health check re-inspects it
// (its health log has the new probe, for the dependency view), quietly.
func TestProbeEndReinspects(t *testing.T) {
	in := make(chan any, 4)
	src := newFakeSource(ContainerState{ID: "x", Service: "db", Number: 1, State: "running", Health: "starting",
		Probes: []Probe{{ExitCode: 1, Output: "refused"}}})
	f := &feed{loop: loop{in: in}, src: src, slots: map[string]slot{}}
	if _, err := f.snapshot(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.onEvent(context.Background(), ContainerEvent{Action: "exec_die", ID: "x", Service: "db", Number: 1})
	if len(in) != 1 {
		t.Fatalf("%d messages, want the state", len(in))
	}
	if st, ok := (<-in).(ContainerState); !ok || len(st.Probes) != 1 {
		t.Fatalf("got %#v", st)
	}
}
