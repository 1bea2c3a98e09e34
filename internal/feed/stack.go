package feed

import (
	"context"
	"fmt"
	"reflect"
	"time"
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

// StackOptions say how often the feed looks at the stack.
type StackOptions struct {
	// Poll is how often the tasks are listed: the engine has no events for
	// tasks, so a task on another node changing is only seen this way.
	// Default 2s.
	Poll time.Duration
}

type fullStack struct {
	services []ServiceState
	tasks    []ContainerState
}

// RunStack streams a deployed stack into out as batches, each with the
// whole set of its services and tasks when they changed, its log lines,
// and events for what changed (a task running or failed, a service
// scaled, an update's state). It refreshes on the source's changes and
// every Poll; when the engine goes away it says so, waits for it and
// starts over. It returns when ctx ends.
func RunStack(ctx context.Context, src StackSource, o StackOptions, out chan<- Batch) {
	if o.Poll <= 0 {
		o.Poll = 2 * time.Second
	}
	s := &stackFeed{src: src, o: o, in: make(chan any, 1024)}
	go batch(ctx, s.in, out, interval, maxBatch)
	for ctx.Err() == nil {
		err := s.session(ctx)
		if ctx.Err() != nil {
			return
		}
		s.send(ctx, ConnState{Err: fmt.Sprintf("engine connection lost: %v", err)})
		awaitEngine(ctx, src.Ping)
		s.send(ctx, ConnState{Connected: true})
	}
}

type stackFeed struct {
	src  StackSource
	o    StackOptions
	in   chan any
	prev *fullStack // what was last sent; nil before the first look
}

func (s *stackFeed) send(ctx context.Context, v any) {
	select {
	case s.in <- v:
	case <-ctx.Done():
	}
}

// session follows the stack until the engine fails to answer.
func (s *stackFeed) session(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	logsDone := make(chan struct{})
	defer func() { cancel(); <-logsDone }()
	changes, errs := s.src.Changes(ctx)
	if err := s.refresh(ctx, true); err != nil {
		close(logsDone)
		return err
	}
	go func() {
		defer close(logsDone)
		_ = s.src.Logs(ctx, func(l LogLine) { s.send(ctx, l) })
	}()
	t := time.NewTicker(s.o.Poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		case _, ok := <-changes:
			if !ok {
				return <-errs
			}
		}
		if err := s.refresh(ctx, false); err != nil {
			return err
		}
	}
}

// refresh looks at the stack and sends it when it changed (always when
// full), with the events that say what changed.
func (s *stackFeed) refresh(ctx context.Context, full bool) error {
	services, tasks, err := s.src.Stack(ctx)
	if err != nil {
		return err
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
