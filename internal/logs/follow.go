package logs

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/pkg/stdcopy"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/eventloop"
	"github.com/devstack/devstack/internal/plan"
)

// Line is one line of a container's output, without its newline.
type Line struct {
	ContainerID, Service string
	Number               int
	Time                 time.Time // from the engine's timestamp
	Text                 string
}

// Source names the line's container as people read it: the service, with
// the replica number when there are several.
func (l Line) Source() string { return replicaName(l.Service, l.Number) }

func replicaName(service string, number int) string {
	if number > 1 {
		return service + "-" + strconv.Itoa(number)
	}
	return service
}

// Sink receives what a Follower reads, from concurrent goroutines.
type Sink interface {
	// Begin gets the selected containers before any line.
	Begin(cs []plan.Container)
	Line(l Line)
	// Exited says a followed container died.
	Exited(ev ContainerEvent)
}

// FollowOptions select what a Follower reads.
type FollowOptions struct {
	Services []string  // none: all
	Follow   bool      // keep reading, and pick up containers that start later
	Since    time.Time // zero: the last Tail lines
	Tail     string    // "all" or a number of lines per container ("": all); a restart resumes in full
	// UntilStopped ends following once no selected container runs (attached `up`).
	UntilStopped bool
}

// Follower reads the selected containers' logs. Following, it picks up
// containers that start later (restarted, recreated, scaled) from the
// monitor's events; a restarted container is read on from after the last
// line seen, so nothing is shown twice. Run may be called again after the
// engine's stream failed, and resumes the same way.
type Follower struct {
	api     dockerapi.ContainerAPI
	mon     *Monitor
	project string
	o       FollowOptions

	mu       sync.Mutex
	lastLine map[string]lineMark  // container ID -> time of its last line seen
	died     map[string]time.Time // container ID -> when it last died
	exited   map[string]bool      // container ID -> died and not started again
	streams  map[string]bool      // container ID -> stream open (this Run)
	again    map[string]bool      // container ID -> started again while its stream was open
	ended    chan struct{}
}

// NewFollower prepares to read the project's logs.
func NewFollower(api dockerapi.ContainerAPI, mon *Monitor, project string, o FollowOptions) *Follower {
	return &Follower{api: api, mon: mon, project: project, o: o, lastLine: map[string]lineMark{}, died: map[string]time.Time{}, exited: map[string]bool{}}
}

// Run reads until the logs end (not following), ctx ends, or, with
// UntilStopped, no selected container runs. It returns the event stream's
// error when that fails.
func (f *Follower) Run(ctx context.Context, sink Sink) error {
	var wg sync.WaitGroup
	defer wg.Wait() // after cancel: the streams end with ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var evs <-chan ContainerEvent
	var errs <-chan error
	if f.o.Follow {
		evs, errs = f.mon.Subscribe(ctx, func(e ContainerEvent) bool {
			return !e.Oneoff && f.selected(e.Service) && e.Is(events.ActionStart, events.ActionDie)
		})
	}
	cs, err := containers.Select(ctx, f.api, f.project, f.o.Services)
	if err != nil {
		return err
	}
	f.mu.Lock()
	f.streams, f.again, f.ended = map[string]bool{}, map[string]bool{}, make(chan struct{}, 1)
	ended := f.ended
	f.mu.Unlock()
	sink.Begin(cs)
	for _, c := range cs {
		f.attach(ctx, &wg, c, sink)
	}
	if !f.o.Follow {
		wg.Wait()
		return nil
	}
	stopped := func() error {
		if f.allStopped(ctx) {
			return eventloop.Stop
		}
		return nil
	}
	return eventloop.RunWake(ctx, evs, errs, func(ev ContainerEvent) error {
		if f.onEvent(ctx, &wg, ev, sink) {
			return nil
		}
		return stopped()
	}, ended, stopped)
}

// onEvent notes a selected container's start or death: a start attaches
// to its logs (and says true), a death goes to the sink.
func (f *Follower) onEvent(ctx context.Context, wg *sync.WaitGroup, ev ContainerEvent, sink Sink) (started bool) {
	f.mu.Lock()
	f.exited[ev.ID] = ev.Action == events.ActionDie
	if ev.Action == events.ActionDie {
		f.died[ev.ID] = ev.Time
	}
	f.mu.Unlock()
	if ev.Action == events.ActionStart {
		f.attach(ctx, wg, plan.Container{ID: ev.ID, Name: ev.Name, Service: ev.Service, Number: ev.Number}, sink)
		return true
	}
	sink.Exited(ev)
	return false
}

func (f *Follower) selected(service string) bool {
	return len(f.o.Services) == 0 || slices.Contains(f.o.Services, service)
}

// attach reads the container's logs unless a stream for it is open; then
// that stream is reopened when it ends, after its last line.
func (f *Follower) attach(ctx context.Context, wg *sync.WaitGroup, c plan.Container, sink Sink) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.streams[c.ID] {
		f.again[c.ID] = true
		return
	}
	f.streams[c.ID] = true
	since := f.resumeAt(c.ID)
	wg.Add(1)
	go func() {
		defer wg.Done()
		f.read(ctx, c, since, sink)
	}()
}

func (f *Follower) read(ctx context.Context, c plan.Container, since lineMark, sink Sink) {
	for {
		f.stream(ctx, c, since, sink)
		f.mu.Lock()
		if !f.again[c.ID] || ctx.Err() != nil {
			f.streams[c.ID] = false
			ended := f.ended
			f.mu.Unlock()
			select {
			case ended <- struct{}{}:
			default:
			}
			return
		}
		delete(f.again, c.ID)
		since = f.resumeAt(c.ID)
		f.mu.Unlock()
	}
}

// lineMark is the timestamp of the last line seen from a container and how
// many lines carried exactly that timestamp. Podman's timestamps have whole
// seconds only: a resume asks again from that second and skips the lines
// already seen; on Docker (nanoseconds) that is the last line alone.
type lineMark struct {
	at time.Time
	n  int
}

// seen counts a line with timestamp at. Pure.
func (m lineMark) seen(at time.Time) lineMark {
	if at.Equal(m.at) {
		return lineMark{at, m.n + 1}
	}
	return lineMark{at, 1}
}

// resumeAt is where a container's logs (re)start: at the last line seen
// (a restart, a reconnect), skipping the lines of that timestamp already
// shown, else where it last died, else Since (zero: the last Tail lines).
// The caller holds f.mu.
func (f *Follower) resumeAt(id string) lineMark {
	if m, ok := f.lastLine[id]; ok {
		return m
	}
	if t, ok := f.died[id]; ok {
		return lineMark{at: t}
	}
	return lineMark{at: f.o.Since}
}

func (f *Follower) stream(ctx context.Context, c plan.Container, from lineMark, sink Sink) {
	opts := container.LogsOptions{ShowStdout: true, ShowStderr: true, Follow: f.o.Follow, Timestamps: true}
	if from.at.IsZero() {
		opts.Tail = f.o.Tail
	} else {
		// Exact: a float64 of the nanoseconds rounds, and would repeat a line on resume.
		opts.Since = fmt.Sprintf("%d.%09d", from.at.Unix(), from.at.Nanosecond())
	}
	rc, err := f.api.ContainerLogs(ctx, c.ID, opts)
	if err != nil {
		return
	}
	defer rc.Close()
	skip := from.n // lines at from.at shown before
	w := &LineSplitter{emit: func(text []byte) {
		when, rest := splitTimestamp(text)
		if skip > 0 && when.Equal(from.at) {
			skip--
			return
		}
		if !when.IsZero() {
			f.mu.Lock()
			f.lastLine[c.ID] = f.lastLine[c.ID].seen(when)
			f.mu.Unlock()
		}
		sink.Line(Line{ContainerID: c.ID, Service: c.Service, Number: c.Number, Time: when, Text: string(rest)})
	}}
	defer w.Flush()
	if isTTY(ctx, f.api, c) {
		_, _ = io.Copy(w, rc)
		return
	}
	_, _ = stdcopy.StdCopy(w, w, rc)
}

func isTTY(ctx context.Context, api dockerapi.ContainerAPI, c plan.Container) bool {
	st, err := api.ContainerInspect(ctx, c.ID)
	return err == nil && st.Config != nil && st.Config.Tty
}

// allStopped says, with UntilStopped, that no stream is open and no selected container runs.
func (f *Follower) allStopped(ctx context.Context) bool {
	if !f.o.UntilStopped {
		return false
	}
	f.mu.Lock()
	for _, open := range f.streams {
		if open {
			f.mu.Unlock()
			return false
		}
	}
	f.mu.Unlock()
	cs, err := containers.Select(ctx, f.api, f.project, f.o.Services)
	if err != nil {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range cs {
		// The engine may list a container as running for a moment after its die event.
		if c.Running() && !f.exited[c.ID] {
			return false
		}
	}
	return true
}
