// Package tui is devstack's dashboard: the project's services, live from
// the engine's event and stats streams, and their logs. The Model is fed
// messages (batches from feed.Run, keys, sizes, clock ticks) and can be
// tested without a daemon; Run wires it to a real feed and terminal.
package tui

import (
	"os/exec"
	"time"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/devstack/devstack/internal/feed"
	"github.com/devstack/devstack/internal/progress"
)

// DefaultRingSize is how many lines the dashboard keeps per service.
const DefaultRingSize = 10000

// Minimum terminal size the layout needs; below it the dashboard says so.
const (
	MinWidth  = 60
	MinHeight = 12
)

// Options configure a Model.
type Options struct {
	Project  string
	RingSize int  // lines kept per service (DefaultRingSize when 0)
	Color    bool // false: plain text only (NO_COLOR)
	// Feed delivers the engine's batches; nil in tests, which send batches as messages.
	Feed <-chan feed.Batch
	// Requests receives the actions a person asks for (restart, stop, ...);
	// nil ignores them.
	Requests chan<- Request
	// Shell returns the command that opens an interactive shell in a
	// service's container (the TUI is suspended while it runs); nil: no shell.
	Shell func(service string) *exec.Cmd
	// Open opens a URL in the browser; Copy puts text on the clipboard
	// (OSC 52). Either may be nil: the key then says it is unavailable.
	Open func(url string) error
	Copy func(text string) error
	// URLs are each service's names through devstack's local router
	// (https://SERVICE.PROJECT.localhost): shown first among its ports,
	// and what o opens. None without the router.
	URLs map[string][]string
	Now  func() time.Time // the clock; time.Now when nil
	// Peer names what the feed talks to on the title line: "engine"
	// (default), "cluster" (a Kubernetes deployment's).
	Peer string
}

// Request is an action on the stack, for the runner to carry out.
type Request struct {
	Verb    string // restart, stop, start, recreate, restart-all
	Service string
}

// Messages the model handles besides bubbletea's own.
type (
	// BatchMsg is one batch from the feed.
	BatchMsg feed.Batch
	// TickMsg advances the clock (uptimes).
	TickMsg time.Time
	// DoneMsg reports how a Request ended.
	DoneMsg struct {
		Request
		Err error
	}
	statusMsg     string
	feedClosedMsg struct{}
	execDoneMsg   struct{ err error }
)

// mode is what keys currently do.
type mode int

const (
	modeNormal mode = iota
	modeSearch
	modeFilter
	modeHelp
)

// Model is the dashboard's state.
type Model struct {
	o        Options
	st       styles
	width    int
	height   int
	now      time.Time
	table    serviceTable
	stack    *stackView // a deployed stack's services; nil for devstack up's containers
	logs     *logPane
	events   []feed.Event                   // the latest few, newest last
	watch    map[string]progress.WatchState // watched services' states
	watcher  string                         // "watching (pid N)" while a watcher runs
	conn     feed.ConnState
	status   string // the last action's outcome, shown on the status line
	mode     mode
	input    textinput.Model
	deps     bool // the dependency view instead of the logs (g)
	stopAll  bool // quit with a request to stop the stack
	quitting bool
}

// New builds a model; it assumes it is connected until told otherwise.
func New(o Options) Model {
	if o.RingSize <= 0 {
		o.RingSize = DefaultRingSize
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = 200
	return Model{
		o: o, st: newStyles(o.Color), now: o.Now(), logs: newLogPane(o.RingSize),
		conn: feed.ConnState{Connected: true}, input: in,
	}
}

// StopStack says whether the person asked to stop the stack on the way out.
func (m Model) StopStack() bool { return m.stopAll }

// Init starts listening to the feed and the clock.
func (m Model) Init() tea.Cmd {
	return tea.Batch(listen(m.o.Feed), tick(m.o.Now))
}

// listen waits for the feed's next batch; Update re-arms it.
func listen(feed <-chan feed.Batch) tea.Cmd {
	if feed == nil {
		return nil
	}
	return func() tea.Msg {
		b, ok := <-feed
		if !ok {
			return feedClosedMsg{}
		}
		return BatchMsg(b)
	}
}

// tick advances the clock once a second, for uptimes; it lists nothing.
func tick(now func() time.Time) tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return TickMsg(now()) })
}
