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
	"github.com/docker/docker/api/types/filters"
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

// LogLine is one line of a container's output, without its newline.
type LogLine struct {
	ContainerID, Service string
	Number               int
	Time                 time.Time
	Text                 string
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
func Feed(ctx context.Context, api API, project string, o FeedOptions, out chan<- FeedBatch) {
	if o.Interval <= 0 {
		o.Interval = 50 * time.Millisecond
	}
	if o.MaxBatch <= 0 {
		o.MaxBatch = 4096
	}
	f := &feed{api: api, project: project, o: o, in: make(chan any, 1024), lastLine: map[string]time.Time{}, restarts: map[string]int{}, slots: map[string]slot{}}
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
	project string
	o       FeedOptions
	in      chan any

	mu       sync.Mutex
	lastLine map[string]time.Time // container ID -> time of its last line seen
	restarts map[string]int       // container ID -> restart events seen
	slots    map[string]slot      // "service/number" -> its container, or when it went
	streams  map[string]bool      // container ID -> log stream open (this session)
	again    map[string]bool      // container ID -> started again while its stream was open
	stats    map[string]func()    // container ID -> stops its stats stream
	died     map[string]time.Time // container ID -> when it last died
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

// session subscribes to events, sends the full state and follows until the
// event stream fails.
func (f *feed) session(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	f.mu.Lock()
	f.streams, f.again, f.stats, f.died = map[string]bool{}, map[string]bool{}, map[string]func(){}, map[string]time.Time{}
	f.mu.Unlock()
	evs, errs := f.api.Events(ctx, events.ListOptions{Filters: filters.NewArgs(
		filters.Arg("type", string(events.ContainerEventType)),
		filters.Arg("label", LabelProject+"="+f.project),
	)})
	states, err := f.snapshot(ctx)
	if err != nil {
		return err
	}
	f.send(ctx, fullStates(states))
	for _, st := range states {
		f.mu.Lock()
		f.slots[st.Service+"/"+strconv.Itoa(st.Number)] = slot{id: st.ID}
		f.mu.Unlock()
		if st.State == "running" || st.State == "restarting" {
			f.attach(ctx, st)
		}
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-errs:
			return err
		case ev := <-evs:
			f.onEvent(ctx, ev)
		}
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

func (f *feed) onEvent(ctx context.Context, ev events.Message) {
	id, svc := ev.Actor.ID, ev.Actor.Attributes[LabelService]
	if strings.EqualFold(ev.Actor.Attributes[LabelOneoff], "true") {
		return
	}
	action := string(ev.Action)
	if cmd, ok := strings.CutPrefix(action, "exec_start: "); ok && isReload(cmd) {
		f.send(ctx, FeedEvent{Time: time.Unix(0, ev.TimeNano), Service: svc, Text: sourceOf(ev, ContainerState{}) + " reloaded (" + cmd + ")"})
		return
	}
	if strings.HasPrefix(action, "exec_") || action == "top" || action == "attach" || action == "resize" {
		return // healthchecks and shells: no state change
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
	when := time.Unix(0, ev.TimeNano)
	if f.replaced(ev, when) {
		f.send(ctx, FeedEvent{Time: when, Service: svc, Text: sourceOf(ev, st) + " recreated"})
	} else if text := eventText(ev, st); text != "" {
		f.send(ctx, FeedEvent{Time: when, Service: svc, Text: text})
	}
	switch ev.Action {
	case events.ActionStart:
		f.attach(ctx, st)
	case events.ActionDie, events.ActionDestroy:
		f.mu.Lock()
		f.died[id] = when
		if stop := f.stats[id]; stop != nil {
			stop()
			delete(f.stats, id)
		}
		f.mu.Unlock()
	}
}

// isReload recognises a command that reloads a server's configuration
// (nginx -s reload, httpd -k graceful, kill -HUP 1), as watch runs them.
func isReload(cmd string) bool {
	return strings.Contains(cmd, "reload") || strings.Contains(cmd, "graceful") || strings.Contains(cmd, "HUP")
}

// slot is what the feed knows of a service replica's container.
type slot struct {
	id   string
	gone time.Time // when it was removed
}

// replaced says whether a created container takes the place of another of
// the same service and number (there now, or removed in the last minute).
func (f *feed) replaced(ev events.Message, when time.Time) bool {
	key := ev.Actor.Attributes[LabelService] + "/" + ev.Actor.Attributes[LabelNumber]
	f.mu.Lock()
	defer f.mu.Unlock()
	prev, seen := f.slots[key]
	switch ev.Action {
	case events.ActionCreate:
		f.slots[key] = slot{id: ev.Actor.ID}
		return seen && prev.id != ev.Actor.ID && (prev.gone.IsZero() || when.Sub(prev.gone) < time.Minute)
	case events.ActionDestroy:
		if prev.id == ev.Actor.ID {
			f.slots[key] = slot{id: ev.Actor.ID, gone: when}
		}
	default:
		if !seen {
			f.slots[key] = slot{id: ev.Actor.ID}
		}
	}
	return false
}

// sourceOf names the container as the dashboard does: the service, with
// the replica number when there are several.
func sourceOf(ev events.Message, st ContainerState) string {
	name := st.Service
	if name == "" {
		name = ev.Actor.Attributes[LabelService]
	}
	if n, _ := strconv.Atoi(ev.Actor.Attributes[LabelNumber]); n > 1 {
		name += "-" + strconv.Itoa(n)
	}
	if name == "" {
		name = ev.Actor.Attributes["name"]
	}
	return name
}

// eventText words the events a person wants to see without reading logs.
func eventText(ev events.Message, st ContainerState) string {
	name := sourceOf(ev, st)
	switch a := string(ev.Action); {
	case a == "restart":
		return name + " restarted"
	case a == "die":
		return name + " exited with code " + ev.Actor.Attributes["exitCode"]
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
