package feed

import (
	"context"
	"reflect"
	"time"

	"github.com/devstack/devstack/internal/eventloop"
)

// ServiceState is one swarm service of a deployed stack, shown above its
// tasks (which are ContainerStates).
type ServiceState struct {
	ID        string
	Name      string // the compose service's: the swarm service's without the stack's prefix
	Mode      string // replicated, global, replicated-job, global-job
	Running   int    // tasks running
	Desired   int    // tasks wanted: the replicas, or one per eligible node when global
	Image     string // without its digest
	Update    string // "", updating, paused, completed, rollback_started, rollback_paused, rollback_completed
	UpdateMsg string // swarm's words on the update (why it paused or rolled back)
	Ports     []PortBinding
}

// StackSource is what the feed needs of a swarm manager for one deployed
// stack (the services labelled com.docker.stack.namespace=NAME).
type StackSource interface {
	// Stack lists the stack's services and the tasks worth showing.
	Stack(ctx context.Context) ([]ServiceState, []ContainerState, error)
	// Changes signals that the stack may have changed (its services' or
	// the nodes' events) until ctx ends or the stream fails (the error
	// channel then yields why). Nil channels: the feed only polls.
	Changes(ctx context.Context) (<-chan struct{}, <-chan error)
	// Logs follows the services' logs until ctx ends; called again, it
	// resumes after the last line seen.
	Logs(ctx context.Context, send func(LogLine)) error
	// Ping says whether the engine answers.
	Ping(ctx context.Context) error
}

// StackEventer is a StackSource that words events of its own (a
// Kubernetes cluster's Events, restarts): the feed sends them, at each
// look at the stack, beside those it words from what changed.
type StackEventer interface {
	// TakeEvents returns the events since the last call.
	TakeEvents() []Event
}

// StackOptions say how often the feed looks at the stack.
type StackOptions struct {
	// Poll is how often the tasks are listed: the engine has no events for
	// tasks, so a task on another node changing is only seen this way.
	// Default (0) 2s; below 0, never: the source's changes say everything.
	Poll time.Duration
	// Peer names what the source talks to in the connection messages:
	// "engine" (default), "cluster".
	Peer string
}

type fullStack struct {
	services []ServiceState
	tasks    []ContainerState
}

// RunStack streams a deployed stack into out as batches, each with the
// whole set of its services and tasks when they changed, its log lines,
// and events for what changed (a task running or failed, a service
// scaled, an update's state; a StackEventer's own). It refreshes on the
// source's changes and every Poll; when the engine goes away it says so, waits for it and
// starts over. It returns when ctx ends.
func RunStack(ctx context.Context, src StackSource, o StackOptions, out chan<- Batch) {
	if o.Poll == 0 {
		o.Poll = 2 * time.Second
	}
	s := &stackFeed{loop: newLoop(src.Ping, src.Logs, o.Peer), src: src, o: o}
	go batch(ctx, s.in, out, interval, maxBatch)
	s.run(ctx, s.session)
}

type stackFeed struct {
	loop
	src  StackSource
	o    StackOptions
	prev *fullStack // what was last sent; nil before the first look
}

// session follows the stack until the engine fails to answer.
func (s *stackFeed) session(ctx context.Context, startLogs func()) error {
	changes, errs := s.src.Changes(ctx)
	if err := s.refresh(ctx, true); err != nil {
		return err
	}
	startLogs()
	var tick <-chan time.Time
	if s.o.Poll > 0 {
		t := time.NewTicker(s.o.Poll)
		defer t.Stop()
		tick = t.C
	}
	refresh := func() error { return s.refresh(ctx, false) }
	return eventloop.RunWake(ctx, changes, errs, func(struct{}) error { return refresh() }, tick, refresh)
}

// refresh looks at the stack and sends it when it changed (always when
// full), with the events that say what changed.
func (s *stackFeed) refresh(ctx context.Context, full bool) error {
	services, tasks, err := s.src.Stack(ctx)
	if err != nil {
		return err
	}
	if ev, ok := s.src.(StackEventer); ok {
		for _, e := range ev.TakeEvents() {
			s.send(ctx, e)
		}
	}
	now := fullStack{services: services, tasks: tasks}
	if !full && s.prev != nil && reflect.DeepEqual(*s.prev, now) {
		return nil
	}
	if s.prev != nil {
		for _, e := range StackEvents(s.prev.services, services, s.prev.tasks, tasks, time.Now()) {
			s.send(ctx, e)
		}
	}
	s.prev = &now
	s.send(ctx, now)
	return nil
}
