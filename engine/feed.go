package engine

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/events"
)

// ContainerState is one container as a live view (the dashboard) shows it.
type ContainerState struct {
	ID, Name, Service string
	Number            int
	State             string // created, running, restarting, exited, dead, ...
	Health            string // "", starting, healthy, unhealthy
	ExitCode          int
	RestartCount      int // by the engine's restart policy, plus restarts requested while the feed runs
	StartedAt         time.Time
	FinishedAt        time.Time
	IPs               []NetworkIP   // the project's networks first
	Ports             []PortBinding // published ports
	TTY               bool
	Removed           bool // the container is gone
}

// NetworkIP is a container's address on one network.
type NetworkIP struct{ Network, IP string }

// PortBinding is one published port.
type PortBinding struct {
	HostIP        string
	HostPort      int
	ContainerPort int
	Proto         string
}

// FeedEvent is a change worth a line of its own: restarted, died, unhealthy, recreated.
type FeedEvent struct {
	Time    time.Time
	Service string
	Text    string
}

// ConnState says whether the engine answers.
type ConnState struct {
	Connected bool
	Err       string
}

// FeedBatch is what happened since the previous batch. Full States replace
// everything known (after a (re)connect); otherwise States are updates.
type FeedBatch struct {
	Full   bool
	States []ContainerState
	Lines  []LogLine
	Stats  []Stats
	Events []FeedEvent
	Conn   *ConnState
}

// FeedOptions say where logs start and how often batches go out.
type FeedOptions struct {
	Since    time.Time     // logs from this moment; zero: the last Tail lines
	Tail     int           // lines of history per container when Since is zero
	Interval time.Duration // batch period (default 50ms)
	MaxBatch int           // a batch goes out early with this many lines (default 4096)
	Stats    bool          // subscribe to each running container's stats stream
}

// Feed streams the project's containers into out as batches: their states
// from the engine's event stream, their logs and, optionally, their stats.
// When the engine goes away it says so, waits for it and starts over. It
// returns when ctx ends.
func Feed(ctx context.Context, api API, mon *Monitor, project string, o FeedOptions, out chan<- FeedBatch) {
	if o.Interval <= 0 {
		o.Interval = 50 * time.Millisecond
	}
	if o.MaxBatch <= 0 {
		o.MaxBatch = 4096
	}
	tail := "all"
	if o.Tail > 0 {
		tail = strconv.Itoa(o.Tail)
	}
	f := &feed{api: api, mon: mon, project: project, o: o, in: make(chan any, 1024), restarts: map[string]int{}, slots: map[string]slot{},
		logs: NewLogFollower(api, mon, project, FollowOptions{Follow: true, Since: o.Since, Tail: tail})}
	go batch(ctx, f.in, out, o.Interval, o.MaxBatch)
	for ctx.Err() == nil {
		err := f.session(ctx)
		if ctx.Err() != nil {
			return
		}
		f.send(ctx, ConnState{Err: fmt.Sprintf("engine connection lost: %v", err)})
		f.awaitEngine(ctx)
		f.send(ctx, ConnState{Connected: true})
	}
}

type feed struct {
	api     API
	mon     *Monitor
	project string
	o       FeedOptions
	in      chan any
	logs    *LogFollower

	mu       sync.Mutex
	restarts map[string]int    // container ID -> restart events seen
	slots    map[string]slot   // "service/number" -> its container, or when it went
	stats    map[string]func() // container ID -> stops its stats stream
}

func (f *feed) send(ctx context.Context, v any) {
	select {
	case f.in <- v:
	case <-ctx.Done():
	}
}

// awaitEngine returns once the engine answers a ping again.
func (f *feed) awaitEngine(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := f.api.Ping(ctx); err == nil {
				return
			}
		}
	}
}

// session subscribes to events, sends the full state and follows states
// and logs until the event stream fails.
func (f *feed) session(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	logsDone := make(chan struct{})
	defer func() { cancel(); <-logsDone }()
	f.mu.Lock()
	f.stats = map[string]func(){}
	f.mu.Unlock()
	evs, errs := f.mon.Subscribe(ctx, func(e ContainerEvent) bool { return !e.Oneoff })
	states, err := f.snapshot(ctx)
	if err != nil {
		close(logsDone)
		return err
	}
	f.send(ctx, fullStates(states))
	for _, st := range states {
		f.mu.Lock()
		f.slots[st.Service+"/"+strconv.Itoa(st.Number)] = slot{id: st.ID}
		f.mu.Unlock()
		if st.State == "running" || st.State == "restarting" {
			f.attachStats(ctx, st.ID)
		}
	}
	go func() {
		defer close(logsDone)
		_ = f.logs.Run(ctx, feedSink{ctx: ctx, f: f})
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev, ok := <-evs:
			if !ok {
				return <-errs
			}
			f.onEvent(ctx, ev)
		}
	}
}

// feedSink passes the follower's lines into the batches.
type feedSink struct {
	ctx context.Context
	f   *feed
}

func (s feedSink) Begin([]Container)     {}
func (s feedSink) Exited(ContainerEvent) {} // the feed's own events say it
func (s feedSink) Line(l LogLine)        { s.f.send(s.ctx, l) }

// attachStats follows the container's stats unless already followed.
func (f *feed) attachStats(ctx context.Context, id string) {
	if !f.o.Stats {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stats[id] == nil {
		sctx, stop := context.WithCancel(ctx)
		f.stats[id] = stop
		go f.streamStats(sctx, id)
	}
}

type fullStates []ContainerState

func (f *feed) snapshot(ctx context.Context) ([]ContainerState, error) {
	cs, err := ObserveContainers(ctx, f.api, f.project)
	if err != nil {
		return nil, err
	}
	out := make([]ContainerState, 0, len(cs))
	for _, c := range cs {
		st, err := f.inspect(ctx, c.ID)
		if errdefs.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

func (f *feed) inspect(ctx context.Context, id string) (ContainerState, error) {
	ins, err := f.api.ContainerInspect(ctx, id)
	if err != nil {
		return ContainerState{ID: id}, err
	}
	st := stateOf(f.project, ins)
	f.mu.Lock()
	st.RestartCount += f.restarts[id]
	f.mu.Unlock()
	return st, nil
}

func (f *feed) onEvent(ctx context.Context, ev ContainerEvent) {
	id, svc := ev.ID, ev.Service
	if a := string(ev.Action); strings.HasPrefix(a, "exec_") || a == "top" || a == "attach" || a == "resize" {
		return // healthchecks, shells and watch's hooks (which report as progress): no state change
	}
	if ev.Action == events.ActionRestart {
		f.mu.Lock()
		f.restarts[id]++
		f.mu.Unlock()
	}
	st, err := f.inspect(ctx, id)
	if errdefs.IsNotFound(err) || ev.Action == events.ActionDestroy {
		st = ContainerState{ID: id, Service: svc, Removed: true}
	} else if err != nil {
		return
	}
	f.send(ctx, st)
	if f.replaced(ev) {
		f.send(ctx, FeedEvent{Time: ev.Time, Service: svc, Text: sourceOf(ev) + " recreated"})
	} else if text := eventText(ev, st); text != "" {
		f.send(ctx, FeedEvent{Time: ev.Time, Service: svc, Text: text})
	}
	switch ev.Action {
	case events.ActionStart:
		f.attachStats(ctx, id)
	case events.ActionDie, events.ActionDestroy:
		f.mu.Lock()
		if stop := f.stats[id]; stop != nil {
			stop()
			delete(f.stats, id)
		}
		f.mu.Unlock()
	}
}

// slot is what the feed knows of a service replica's container.
type slot struct {
	id   string
	gone time.Time // when it was removed
}

// replaced says whether a created container takes the place of another of
// the same service and number (there now, or removed in the last minute).
func (f *feed) replaced(ev ContainerEvent) bool {
	key := ev.Service + "/" + strconv.Itoa(ev.Number)
	f.mu.Lock()
	defer f.mu.Unlock()
	prev, seen := f.slots[key]
	switch ev.Action {
	case events.ActionCreate:
		f.slots[key] = slot{id: ev.ID}
		return seen && prev.id != ev.ID && (prev.gone.IsZero() || ev.Time.Sub(prev.gone) < time.Minute)
	case events.ActionDestroy:
		if prev.id == ev.ID {
			f.slots[key] = slot{id: ev.ID, gone: ev.Time}
		}
	default:
		if !seen {
			f.slots[key] = slot{id: ev.ID}
		}
	}
	return false
}

// sourceOf names the container as the dashboard does: the service, with
// the replica number when there are several.
func sourceOf(ev ContainerEvent) string {
	if ev.Service == "" {
		return ev.Name
	}
	return replicaName(ev.Service, ev.Number)
}

// eventText words the events a person wants to see without reading logs.
func eventText(ev ContainerEvent, st ContainerState) string {
	name := sourceOf(ev)
	switch a := string(ev.Action); {
	case a == "restart":
		return name + " restarted"
	case a == "die":
		return name + " exited with code " + ev.ExitCode
	case a == "create":
		return name + " created"
	case a == "destroy":
		return name + " removed"
	case a == "start":
		return name + " started"
	case a == "stop":
		return name + " stopped"
	case strings.HasPrefix(a, "health_status"):
		if st.Health == "unhealthy" || st.Health == "healthy" {
			return name + " " + st.Health
		}
	}
	return ""
}
