package swarmfeed

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/swarm"

	"github.com/devstack/devstack/internal/logs"
)

// fakeEvents is the engine's event stream, fed by the test.
type fakeEvents struct {
	msgs chan events.Message
	errs chan error
}

func (f fakeEvents) Events(context.Context, events.ListOptions) (<-chan events.Message, <-chan error) {
	return f.msgs, f.errs
}

func TestChanges(t *testing.T) {
	src := fakeEvents{msgs: make(chan events.Message), errs: make(chan error, 1)}
	s := New(nil, logs.NewStackMonitor(src, "shop"), "shop", 0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changes, errs := s.Changes(ctx)
	svc := func(name string) events.Message {
		return events.Message{Type: events.ServiceEventType, Action: events.ActionUpdate, Actor: events.Actor{ID: name, Attributes: map[string]string{"name": name}}}
	}
	// Several events before the feed looks are one change; another stack's are none.
	src.msgs <- svc("shop_web")
	src.msgs <- svc("shop_db")
	src.msgs <- svc("other_web")
	time.Sleep(200 * time.Millisecond) // the feed busy looking
	select {
	case <-changes:
	case <-time.After(2 * time.Second):
		t.Fatal("no change")
	}
	select {
	case <-changes:
		t.Fatal("a second change for events seen at once, or another stack's")
	case <-time.After(200 * time.Millisecond):
	}
	src.msgs <- events.Message{Type: events.NodeEventType, Action: events.ActionUpdate, Actor: events.Actor{ID: "n2"}}
	select {
	case <-changes:
	case <-time.After(2 * time.Second):
		t.Fatal("no change for a node's event")
	}
	src.errs <- errors.New("connection reset")
	for range changes {
	}
	if err := <-errs; err == nil {
		t.Error("the stream's failure was not passed on")
	}
}

func TestChangesWithoutMonitor(t *testing.T) {
	if c, e := New(nil, nil, "shop", 0).Changes(context.Background()); c != nil || e != nil {
		t.Error("a source without a monitor has a stream")
	}
}

// listAPI answers the service list.
type listAPI struct {
	API
	svcs []swarm.Service
	err  error
}

func (l listAPI) ServiceList(context.Context, swarm.ServiceListOptions) ([]swarm.Service, error) {
	return l.svcs, l.err
}

func TestIsStack(t *testing.T) {
	for _, tc := range []struct {
		api  listAPI
		want bool
	}{
		{listAPI{svcs: []swarm.Service{{ID: "s1"}}}, true},
		{listAPI{}, false},
		{listAPI{err: errors.New("This node is not a swarm manager.")}, false},
	} {
		if got := IsStack(context.Background(), tc.api, "shop"); got != tc.want {
			t.Errorf("%+v: %v", tc.api, got)
		}
	}
}
