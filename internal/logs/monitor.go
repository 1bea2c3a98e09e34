package logs

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/filters"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/stack"

	"github.com/devstack/devstack/internal/dockerapi"
)

// ContainerEvent is one thing that happened to one of the project's
// containers, as the engine's event stream says it; on a stack's monitor
// (NewStackMonitor) also to one of its swarm services or to a node.
type ContainerEvent struct {
	Type     events.Type // container; service or node on a stack's monitor
	Time     time.Time
	ID       string
	Name     string // the container's name
	Service  string
	Number   int
	Action   events.Action // create, start, die, destroy, health_status: healthy, exec_start: ...
	ExitCode string        // with die
	Oneoff   bool          // a one-off container (run), not a service replica
	// Attributes are the engine's other attributes of the event (image,
	// the container's own labels, signal, ...), compose's labels left out.
	Attributes map[string]string
}

// Is says whether the event is one of the actions (a prefix for
// "exec_start: CMD" and "health_status: STATUS").
func (e ContainerEvent) Is(actions ...events.Action) bool {
	for _, a := range actions {
		if e.Action == a || strings.HasPrefix(string(e.Action), string(a)+":") {
			return true
		}
	}
	return false
}

// EventFilter picks the events a listener wants; nil takes them all.
type EventFilter func(ContainerEvent) bool

// Actions is a filter for service containers' events of the given actions.
func Actions(actions ...events.Action) EventFilter {
	return func(e ContainerEvent) bool {
		return e.Type == events.ContainerEventType && !e.Oneoff && e.Is(actions...)
	}
}

// Monitor is the one subscription to the engine's events for a project,
// fanned out to listeners: waits, log following, the dashboard. The
// stream opens with the first listener and closes a moment after the last
// one left; a listener never blocks it, nor the other listeners.
type Monitor struct {
	api     dockerapi.EventSource
	project string
	stack   bool // project is a deployed stack's namespace (NewStackMonitor)
	linger  time.Duration

	mu        sync.Mutex
	listeners map[*listener]bool
	stop      context.CancelFunc // ends the open stream; nil when none is open
	idle      *time.Timer        // closes the stream once nobody listens
}

// NewMonitor prepares the project's monitor; it subscribes on first use.
func NewMonitor(api dockerapi.EventSource, project string) *Monitor {
	return &Monitor{api: api, project: project, linger: time.Second, listeners: map[*listener]bool{}}
}

// NewStackMonitor prepares the monitor of a stack deployed to the swarm
// this engine manages: the events of its task containers on this node
// (labelled com.docker.stack.namespace=NAMESPACE), of its services (named
// NAMESPACE_SERVICE) and of the swarm's nodes. The engine has no events
// for tasks, and none for containers on other nodes.
func NewStackMonitor(api dockerapi.EventSource, namespace string) *Monitor {
	m := NewMonitor(api, namespace)
	m.stack = true
	return m
}

// Subscribe returns the events that pass f, in order, until ctx ends or the
// engine's stream fails. Then the event channel is closed, and the error
// channel yields why (nil when ctx ended) and is closed too:
//
//	for ev := range evs { ... }
//	return <-errs
func (m *Monitor) Subscribe(ctx context.Context, f EventFilter) (<-chan ContainerEvent, <-chan error) {
	l := &listener{filter: f, wake: make(chan struct{}, 1), out: make(chan ContainerEvent), errs: make(chan error, 1)}
	m.mu.Lock()
	m.listeners[l] = true
	if m.idle != nil {
		m.idle.Stop()
		m.idle = nil
	}
	if m.stop == nil {
		sctx, stop := context.WithCancel(context.WithoutCancel(ctx))
		m.stop = stop
		go m.run(sctx)
	}
	m.mu.Unlock()
	go func() {
		l.pump(ctx)
		m.leave(l)
	}()
	return l.out, l.errs
}

func (m *Monitor) leave(l *listener) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.listeners[l] {
		return
	}
	delete(m.listeners, l)
	if len(m.listeners) > 0 || m.stop == nil {
		return
	}
	m.idle = time.AfterFunc(m.linger, func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		if len(m.listeners) == 0 && m.stop != nil {
			m.stop()
			m.stop, m.idle = nil, nil
		}
	})
}

// run reads the engine's stream and hands each event to the listeners.
func (m *Monitor) run(ctx context.Context) {
	msgs, errs := m.api.Events(ctx, events.ListOptions{Filters: m.filters()})
	for {
		select {
		case msg := <-msgs:
			if !m.wants(msg) {
				continue
			}
			ev := containerEvent(msg)
			m.mu.Lock()
			for l := range m.listeners {
				l.push(ev)
			}
			m.mu.Unlock()
		case err := <-errs:
			if ctx.Err() != nil {
				return // closed for want of listeners
			}
			m.mu.Lock()
			for l := range m.listeners {
				l.fail(fmt.Errorf("engine event stream: %w", err))
				delete(m.listeners, l)
			}
			m.stop() // the next listener opens a new stream
			m.stop = nil
			m.mu.Unlock()
			return
		}
	}
}

// filters asks the engine for the project's container events; for a
// stack, for containers, services and nodes: service and node events carry
// no labels, and the engine's filters cannot say "labelled, or a service",
// so wants picks the stack's.
func (m *Monitor) filters() filters.Args {
	if m.stack {
		return filters.NewArgs(
			filters.Arg("type", string(events.ContainerEventType)),
			filters.Arg("type", string(events.ServiceEventType)),
			filters.Arg("type", string(events.NodeEventType)))
	}
	return filters.NewArgs(
		filters.Arg("type", string(events.ContainerEventType)),
		filters.Arg("label", convert.LabelProject+"="+m.project))
}

// wants says whether a message from the stream is the monitor's.
func (m *Monitor) wants(msg events.Message) bool {
	if !m.stack {
		return true
	}
	a := msg.Actor.Attributes
	switch typeOf(msg) {
	case events.ContainerEventType:
		return a[stack.LabelNamespace] == m.project
	case events.ServiceEventType:
		return strings.HasPrefix(a["name"], m.project+"_")
	}
	return msg.Type == events.NodeEventType
}

// typeOf is the message's type; engines have sent it since API 1.22, and
// a message without one came from a stream of container events.
func typeOf(msg events.Message) events.Type {
	if msg.Type == "" {
		return events.ContainerEventType
	}
	return msg.Type
}

func containerEvent(msg events.Message) ContainerEvent {
	a := msg.Actor.Attributes
	n, _ := strconv.Atoi(a[convert.LabelNumber])
	attrs := map[string]string{}
	for k, v := range a {
		if !strings.HasPrefix(k, "com.docker.compose.") {
			attrs[k] = v
		}
	}
	return ContainerEvent{
		Type: typeOf(msg), Time: time.Unix(0, msg.TimeNano), ID: msg.Actor.ID, Name: a["name"],
		Service: a[convert.LabelService], Number: n, Action: dockerapi.DockerAction(msg.Action), ExitCode: a["exitCode"],
		Oneoff: strings.EqualFold(a[convert.LabelOneoff], "true"), Attributes: attrs,
	}
}

// listener queues its events without bound, so that a slow reader delays
// nobody else; a project's events are few.
type listener struct {
	filter EventFilter
	out    chan ContainerEvent
	errs   chan error

	mu    sync.Mutex
	queue []ContainerEvent
	err   error
	wake  chan struct{}
}

func (l *listener) push(ev ContainerEvent) {
	if l.filter != nil && !l.filter(ev) {
		return
	}
	l.mu.Lock()
	l.queue = append(l.queue, ev)
	l.mu.Unlock()
	l.notify()
}

func (l *listener) fail(err error) {
	l.mu.Lock()
	l.err = err
	l.mu.Unlock()
	l.notify()
}

func (l *listener) notify() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// pump delivers the queue in order until ctx ends or the stream failed.
func (l *listener) pump(ctx context.Context) {
	defer close(l.errs)
	defer close(l.out)
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.wake:
		}
		for {
			l.mu.Lock()
			if len(l.queue) == 0 {
				err := l.err
				l.mu.Unlock()
				if err != nil {
					l.errs <- err
					return
				}
				break
			}
			ev := l.queue[0]
			l.queue = l.queue[1:]
			l.mu.Unlock()
			select {
			case l.out <- ev:
			case <-ctx.Done():
				return
			}
		}
	}
}
