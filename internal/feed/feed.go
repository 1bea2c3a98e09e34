// Package feed is the dashboard's view of a running project: container
// states, log lines, stats and notable events, in batches. It knows the
// engine only through Source, so what shows it (tui) needs no Docker client.
package feed

import (
	"context"
	"github.com/devstack/devstack/internal/progress"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/devstack/devstack/internal/eventloop"
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
	// DependsOn is the service's depends_on (from its container's label),
	// Probes the engine's last health probes, oldest first: the
	// dashboard's dependency view.
	DependsOn []Dependency
	Probes    []Probe
	// A deployed stack's task (RunStack) is shown as a ContainerState: ID
	// the task's, Name SERVICE.SLOT, Number the slot, State its current
	// state (new ... running, complete, failed, shutdown, rejected),
	// StartedAt when it reached it, IPs its addresses per network; and:
	Node    string // the node's hostname; "" while unassigned
	Desired string // the state swarm wants it in: running, shutdown, ...
	Error   string // why it failed or was rejected
}

// Dependency is one depends_on entry: the service depended on and the
// condition (service_started, service_healthy, service_completed_successfully).
type Dependency struct{ Service, Condition string }

// Probe is one health check the engine ran.
type Probe struct {
	Start    time.Time
	ExitCode int
	Output   string
}

// NetworkIP is a container's address on one network.
type NetworkIP struct{ Network, IP string }

// PortBinding is one published port.
type PortBinding struct {
	HostIP        string
	HostPort      int
	ContainerPort int
	Proto         string
	Mode          string // a swarm service's: ingress (every node) or host (the task's node)
}

// Event is a change worth a line of its own: restarted, died, unhealthy, recreated.
type Event struct {
	Time    time.Time
	Service string
	Text    string
}

// ConnState says whether the engine answers.
type ConnState struct {
	Connected bool
	Err       string
}

// Batch is what happened since the previous batch. Full States replace
// everything known (after a (re)connect); otherwise States are updates.
type Batch struct {
	Full   bool
	States []ContainerState
	Lines  []LogLine
	Stats  []Stats
	Events []Event
	Conn   *ConnState
	// Stack says the batch is a deployed stack's (RunStack): States are its
	// tasks, Services its services, and both are the whole set.
	Stack    bool
	Services []ServiceState
	// Watch are watched services' states (develop.watch), newest last.
	Watch []ServiceWatch
	// Watcher says whether a watcher runs for the project ("watching (pid
	// N)", "" when none); nil: no news.
	Watcher *string
}

// ServiceWatch is a watched service's state, from watch's typed events
// (up --watch) or a watcher's status file (devstack dash).
type ServiceWatch struct {
	Service string
	progress.WatchState
}

// LogLine is one line of a container's output, without its newline.
type LogLine struct {
	ContainerID, Service string
	Number               int
	Time                 time.Time
	Text                 string
	Source               string // the line's prefix when not SERVICE[-N]: a task's SERVICE.SLOT@NODE
}

// Stats is a container's resource use.
type Stats struct {
	ContainerID string
	CPUPercent  float64 // of one CPU: 200 means two CPUs busy
	MemBytes    uint64  // usage without the page cache, as `docker stats` shows it
	MemLimit    uint64
}

// ContainerEvent is what the engine says happened to a container.
type ContainerEvent struct {
	Time     time.Time
	ID, Name string
	Service  string
	Number   int
	Action   string // create, start, die, destroy, restart, health_status: healthy, exec_start: ...
	ExitCode string // with die
}

// Source is what the feed needs of the engine, for one project.
type Source interface {
	// ContainerEvents delivers the service containers' events until ctx ends (the
	// channel closes, then the error channel yields nil) or the stream
	// fails (it yields why).
	ContainerEvents(ctx context.Context) (<-chan ContainerEvent, <-chan error)
	// Containers lists the project's containers' states.
	Containers(ctx context.Context) ([]ContainerState, error)
	// Inspect reads one container's state; ErrGone when it is gone.
	Inspect(ctx context.Context, id string) (ContainerState, error)
	// Logs follows every container's logs, each line to send, until ctx
	// ends or the event stream fails. Called again, it resumes after the
	// last line seen.
	Logs(ctx context.Context, send func(LogLine)) error
	// Stats sends the container's resource use, about once a second, until
	// ctx ends or the container stops.
	Stats(ctx context.Context, id string, send func(Stats))
	// Ping says whether the engine answers.
	Ping(ctx context.Context) error
}

// Options say what the feed follows.
type Options struct {
	Stats bool // follow each running container's stats
}

const (
	interval = 50 * time.Millisecond // a batch goes out this often
	maxBatch = 4096                  // or early, with this many lines
)

// Run streams the project's containers into out as batches: their states
// from the engine's events, their logs and, optionally, their stats. When
// the engine goes away it says so, waits for it and starts over. It
// returns when ctx ends.
func Run(ctx context.Context, src Source, o Options, out chan<- Batch) {
	f := &feed{loop: newLoop(src.Ping, src.Logs, ""), src: src, o: o, restarts: map[string]int{}, slots: map[string]slot{}}
	go batch(ctx, f.in, out, interval, maxBatch)
	f.run(ctx, f.session)
}

type feed struct {
	loop
	src Source
	o   Options

	mu       sync.Mutex
	restarts map[string]int    // container ID -> restart events seen
	slots    map[string]slot   // "service/number" -> its container, or when it went
	stats    map[string]func() // container ID -> stops its stats stream
	checked  map[string]bool   // container ID -> it has a health check (its probes' exec_die re-inspect it)
}

// session subscribes to events, sends the full state and follows states
// and logs until the event stream fails.
func (f *feed) session(ctx context.Context, startLogs func()) error {
	f.mu.Lock()
	f.stats = map[string]func(){}
	f.mu.Unlock()
	evs, errs := f.src.ContainerEvents(ctx)
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
			f.attachStats(ctx, st.ID)
		}
	}
	startLogs()
	return eventloop.Run(ctx, evs, errs, func(ev ContainerEvent) error {
		f.onEvent(ctx, ev)
		return nil
	})
}

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
		go f.src.Stats(sctx, id, func(s Stats) { f.send(sctx, s) })
	}
}

type fullStates []ContainerState

func (f *feed) snapshot(ctx context.Context) ([]ContainerState, error) {
	states, err := f.src.Containers(ctx)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range states {
		states[i].RestartCount += f.restarts[states[i].ID]
		f.noteHealth(states[i])
	}
	return states, nil
}

func (f *feed) inspect(ctx context.Context, id string) (ContainerState, error) {
	st, err := f.src.Inspect(ctx, id)
	if err != nil {
		return ContainerState{ID: id}, err
	}
	f.mu.Lock()
	st.RestartCount += f.restarts[id]
	f.noteHealth(st)
	f.mu.Unlock()
	return st, nil
}

// noteHealth remembers whether the container runs health checks. The
// caller holds f.mu.
func (f *feed) noteHealth(st ContainerState) {
	if f.checked == nil {
		f.checked = map[string]bool{}
	}
	if st.Health != "" {
		f.checked[st.ID] = true
	} else {
		delete(f.checked, st.ID)
	}
}

// probeEnded tells whether an exec_die is likely a health probe's: the
// container runs health checks, so its health log has a new entry.
func (f *feed) probeEnded(ev ContainerEvent) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.HasPrefix(ev.Action, "exec_die") && f.checked[ev.ID]
}
