package engine

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/pkg/stdcopy"
)

// LogOptions mirror `devstack logs` flags.
type LogOptions struct {
	Services      []string // none: all
	Follow        bool
	Tail          string // "all" or a number
	Timestamps    bool
	Since         time.Time // zero: from the beginning
	Color         bool
	UntilStopped  bool // with Follow: return once no selected container runs (attached `up`)
	PrefixPadding int  // width of the name column; 0 computes it
}

// Logs writes the selected containers' logs, each line prefixed with its
// service. Following, it also picks up containers that start later
// (restarted or recreated), from the moment they start.
func Logs(ctx context.Context, api API, project string, o LogOptions, w io.Writer) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var evs <-chan events.Message
	var evErrs <-chan error
	if o.Follow {
		evs, evErrs = api.Events(ctx, events.ListOptions{Filters: filters.NewArgs(
			filters.Arg("type", string(events.ContainerEventType)),
			filters.Arg("event", "start"),
			filters.Arg("event", "die"),
			filters.Arg("label", LabelProject+"="+project),
		)})
	}
	cs, err := selectContainers(ctx, api, project, o.Services)
	if err != nil {
		return err
	}
	m := &logMux{api: api, o: o, w: w, streams: map[string]bool{}, exited: map[string]bool{}, died: map[string]time.Time{}, ended: make(chan string, 64)}
	m.pad = o.PrefixPadding
	for _, c := range cs {
		m.pad = max(m.pad, len(logName(c)))
	}
	for _, c := range cs {
		m.attach(ctx, c, o.Since)
	}
	if !o.Follow {
		m.wg.Wait()
		return nil
	}
	return m.follow(ctx, project, evs, evErrs)
}

type logMux struct {
	api API
	o   LogOptions
	pad int

	wmu sync.Mutex
	w   io.Writer

	mu      sync.Mutex
	streams map[string]bool      // container ID -> stream open
	exited  map[string]bool      // container ID -> died since we started following
	died    map[string]time.Time // container ID -> when it last died
	ended   chan string
	wg      sync.WaitGroup
}

func (m *logMux) follow(ctx context.Context, project string, evs <-chan events.Message, errs <-chan error) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-errs:
			return fmt.Errorf("engine event stream: %w", err)
		case ev := <-evs:
			m.mu.Lock()
			m.exited[ev.Actor.ID] = ev.Action == events.ActionDie
			if ev.Action == events.ActionDie {
				m.died[ev.Actor.ID] = time.Unix(0, ev.TimeNano)
			}
			m.mu.Unlock()
			if ev.Action == events.ActionStart {
				m.onStart(ctx, project, ev)
				continue
			}
			m.exitedLine(ev)
			if m.allStopped(ctx, project) {
				return nil
			}
		case <-m.ended:
			if m.allStopped(ctx, project) {
				return nil
			}
		}
	}
}

func (m *logMux) onStart(ctx context.Context, project string, ev events.Message) {
	svc := ev.Actor.Attributes[LabelService]
	if len(m.o.Services) > 0 && !contains(m.o.Services, svc) {
		return
	}
	cs, err := ObserveContainers(ctx, m.api, project)
	if err != nil {
		return
	}
	// A restarted container's new output is what came after it died; a new
	// (recreated, scaled) container's output is all of it: its first lines
	// may predate the start event.
	m.mu.Lock()
	since := m.died[ev.Actor.ID]
	m.mu.Unlock()
	for _, c := range cs {
		if c.ID == ev.Actor.ID {
			m.attach(ctx, c, since)
		}
	}
}

// allStopped says, for an attached `up`, that no stream is open and no selected container runs.
func (m *logMux) allStopped(ctx context.Context, project string) bool {
	return m.o.UntilStopped && m.open() == 0 && !m.anyRunning(ctx, project)
}

func (m *logMux) open() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, open := range m.streams {
		if open {
			n++
		}
	}
	return n
}

func (m *logMux) anyRunning(ctx context.Context, project string) bool {
	cs, err := selectContainers(ctx, m.api, project, m.o.Services)
	if err != nil {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range cs {
		// The engine may list a container as running for a moment after its die event.
		if c.Running() && !m.exited[c.ID] {
			return true
		}
	}
	return false
}

// attach streams one container unless a stream for it is already open.
func (m *logMux) attach(ctx context.Context, c Container, since time.Time) {
	m.mu.Lock()
	if m.streams[c.ID] {
		m.mu.Unlock()
		return
	}
	m.streams[c.ID] = true
	m.mu.Unlock()
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		m.stream(ctx, c, since)
		m.mu.Lock()
		m.streams[c.ID] = false
		m.mu.Unlock()
		select {
		case m.ended <- c.ID:
		default:
		}
	}()
}

func (m *logMux) stream(ctx context.Context, c Container, since time.Time) {
	opts := container.LogsOptions{ShowStdout: true, ShowStderr: true, Follow: m.o.Follow, Tail: m.o.Tail, Timestamps: m.o.Timestamps}
	if !since.IsZero() {
		opts.Since = fmt.Sprintf("%d.%09d", since.Unix(), since.Nanosecond()) // exact: a float64 loses the nanoseconds
	}
	rc, err := m.api.ContainerLogs(ctx, c.ID, opts)
	if err != nil {
		return
	}
	defer rc.Close()
	lw := &lineWriter{prefix: m.prefix(c), mux: m}
	defer lw.flush()
	if isTTY(ctx, m.api, c) {
		_, _ = io.Copy(lw, rc)
		return
	}
	_, _ = stdcopy.StdCopy(lw, lw, rc)
}

func isTTY(ctx context.Context, api API, c Container) bool {
	st, err := api.ContainerInspect(ctx, c.ID)
	return err == nil && st.Config != nil && st.Config.Tty
}

func (m *logMux) prefix(c Container) string {
	name := fmt.Sprintf("%-*s |", m.pad, logName(c))
	if !m.o.Color {
		return name + " "
	}
	return colorFor(c.Service) + name + "\x1b[0m "
}

// logName is the service, with the replica number when there are several.
func logName(c Container) string {
	if c.Number > 1 {
		return c.Service + "-" + strconv.Itoa(c.Number)
	}
	return c.Service
}

// exitedLine reports a container's exit in the stream, as compose does.
func (m *logMux) exitedLine(ev events.Message) {
	svc := ev.Actor.Attributes[LabelService]
	if len(m.o.Services) > 0 && !contains(m.o.Services, svc) {
		return
	}
	n, _ := strconv.Atoi(ev.Actor.Attributes[LabelNumber])
	name := logName(Container{Service: svc, Number: n})
	m.writeLine([]byte(fmt.Sprintf("%s exited with code %s\n", name, ev.Actor.Attributes["exitCode"])))
}

func (m *logMux) writeLine(b []byte) {
	m.wmu.Lock()
	defer m.wmu.Unlock()
	_, _ = m.w.Write(b)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
