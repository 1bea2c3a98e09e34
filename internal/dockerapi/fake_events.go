package dockerapi

import (
	"context"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/filters"
)

// stream is one open Events call: the messages that passed its filters,
// queued without bound so that the fake never blocks on a slow reader.
type stream struct {
	filters filters.Args
	mu      sync.Mutex
	queue   []events.Message
	err     error
	wake    chan struct{}
}

func (s *stream) push(m events.Message) {
	s.mu.Lock()
	s.queue = append(s.queue, m)
	s.mu.Unlock()
	s.notify()
}

func (s *stream) end(err error) {
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
	s.notify()
}

func (s *stream) notify() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *stream) take() ([]events.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queue
	s.queue = nil
	return q, s.err
}

// Events streams what happens from now on (Since and Until are not
// modelled), filtered by type, event, label, container, network, volume
// and image as the engine filters. Ended by ctx, the error channel yields
// ctx's error, as the client's does.
func (f *FakeClient) Events(ctx context.Context, o events.ListOptions) (<-chan events.Message, <-chan error) {
	msgs, errs := make(chan events.Message), make(chan error, 1)
	s := &stream{filters: o.Filters, wake: make(chan struct{}, 1)}
	f.mu.Lock()
	if err := f.begin("Events", ""); err != nil {
		f.mu.Unlock()
		errs <- err
		return msgs, errs
	}
	f.streams[s] = true
	f.mu.Unlock()
	go func() {
		defer func() {
			f.mu.Lock()
			delete(f.streams, s)
			f.mu.Unlock()
		}()
		for {
			q, err := s.take()
			for _, m := range q {
				select {
				case msgs <- m:
				case <-ctx.Done():
					errs <- ctx.Err()
					return
				}
			}
			if err != nil {
				errs <- err
				return
			}
			select {
			case <-s.wake:
			case <-ctx.Done():
				errs <- ctx.Err()
				return
			}
		}
	}()
	return msgs, errs
}

// EventStreams is how many Events calls are open: a test that changes
// state for a waiter to see can first wait for its subscription.
func (f *FakeClient) EventStreams() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.streams)
}

// Sent returns the events the engine sent so far, in order, whether or
// not a stream was open.
func (f *FakeClient) Sent() []events.Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.sent)
}

// emit sends an event to the open streams whose filters it passes. The
// caller holds f.mu, so events go out in the order of the changes.
func (f *FakeClient) emit(typ events.Type, action events.Action, id string, attrs map[string]string) {
	now := f.now()
	m := events.Message{Type: typ, Action: action, Scope: "local", Time: now.Unix(), TimeNano: now.UnixNano(),
		Actor: events.Actor{ID: id, Attributes: attrs}}
	f.sent = append(f.sent, m)
	for s := range f.streams {
		if eventMatches(s.filters, m) {
			s.push(m)
		}
	}
}

// containerEvent emits an event about c, with the attributes the engine
// gives container events: its labels, name and image, and extra (pairs).
func (f *FakeClient) containerEvent(c *fakeContainer, action events.Action, extra ...string) {
	attrs := maps.Clone(c.Config.Labels)
	if attrs == nil {
		attrs = map[string]string{}
	}
	attrs["name"], attrs["image"] = c.name(), c.Config.Image
	for i := 0; i+1 < len(extra); i += 2 {
		attrs[extra[i]] = extra[i+1]
	}
	f.emit(events.ContainerEventType, action, c.ID, attrs)
}

// eventMatches applies the engine's event filters: each field given must
// match; "event" matches an action's name before its colon too
// ("health_status" matches "health_status: healthy").
func eventMatches(fl filters.Args, m events.Message) bool {
	action, _, _ := strings.Cut(string(m.Action), ":")
	a := m.Actor.Attributes
	if !fl.ExactMatch("type", string(m.Type)) ||
		!(fl.ExactMatch("event", string(m.Action)) || fl.ExactMatch("event", action)) ||
		!fl.MatchKVList("label", a) {
		return false
	}
	for _, typ := range []events.Type{events.ContainerEventType, events.NetworkEventType, events.VolumeEventType, events.ImageEventType} {
		field := string(typ)
		if !fl.Contains(field) {
			continue
		}
		if m.Type != typ || !(fl.ExactMatch(field, m.Actor.ID) || fl.ExactMatch(field, a["name"])) {
			return false
		}
	}
	return true
}
