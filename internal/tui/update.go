package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/devstack/devstack/internal/feed"
	"github.com/devstack/devstack/internal/termsafe"
)

// maxEvents is how many recent events the model keeps for the events line.
const maxEvents = 20

// Update applies one message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return m, nil
	case BatchMsg:
		m.apply(feed.Batch(msg))
		return m, listen(m.o.Feed)
	case TickMsg:
		m.now = time.Time(msg)
		return m, tick(m.o.Now)
	case DoneMsg:
		m.status = doneText(msg)
		return m, nil
	case statusMsg:
		m.status = string(msg)
		return m, nil
	case execDoneMsg:
		if msg.err != nil {
			m.status = "shell: " + msg.err.Error()
		}
		return m, nil
	case feedClosedMsg:
		m.conn = feed.ConnState{Err: "feed closed"}
		return m, nil
	case tea.MouseMsg:
		return m.mouse(msg), nil
	case tea.KeyMsg:
		return m.key(msg)
	}
	return m, nil
}

// apply takes in one batch from the feed: O(size of the batch).
func (m *Model) apply(b feed.Batch) {
	if b.Conn != nil {
		m.conn = *b.Conn
	}
	m.applyWatch(b)
	if b.Stack {
		if m.stack == nil {
			m.stack = &stackView{}
		}
		m.stack.set(b.Services)
	}
	if b.Full {
		m.table.replace(b.States)
	} else {
		for _, st := range b.States {
			m.table.update(st)
		}
	}
	for _, s := range b.Stats {
		m.table.setStats(s)
	}
	if len(b.Events) > 0 {
		m.events = append(m.events, b.Events...)
		if over := len(m.events) - maxEvents; over > 0 {
			m.events = append(m.events[:0], m.events[over:]...)
		}
	}
	if len(b.Lines) > 0 {
		lines := make([]Line, len(b.Lines))
		for i, l := range b.Lines {
			text, plain := termsafe.Line(l.Text, m.o.Color)
			src := l.Source
			if src == "" {
				src = sourceName(l.Service, l.Number)
			}
			lines[i] = Line{Service: l.Service, Source: src, Time: l.Time, Text: text, Plain: plain}
		}
		m.logs.add(lines)
	}
}

func doneText(d DoneMsg) string {
	what := d.Verb
	if d.Service != "" {
		what += " " + d.Service
	}
	if d.Err != nil {
		return what + " failed: " + d.Err.Error()
	}
	return what + ": done"
}

func (m Model) mouse(msg tea.MouseMsg) Model {
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		m.logs.scroll(3, m.logHeight())
	case tea.MouseButtonWheelDown:
		m.logs.scroll(-3, m.logHeight())
	}
	return m
}

// request hands an action to the runner.
func (m Model) request(r Request) tea.Cmd {
	if m.o.Requests == nil {
		return nil
	}
	ch := m.o.Requests
	return func() tea.Msg {
		ch <- r
		return nil
	}
}
