package apply

import (
	"context"
	"sync"

	"github.com/docker/docker/api/types/events"

	"github.com/devstack/devstack/internal/convert"
)

// The flows tests feed engine events by hand, as the monitor tests of
// internal/logs do.

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
