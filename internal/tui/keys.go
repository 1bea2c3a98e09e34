package tui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/devstack/devstack/internal/termsafe"
)

// key handles a keypress according to the mode.
func (m Model) key(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if msg.Type == tea.KeyCtrlC {
		m.quitting = true
		return m, tea.Quit
	}
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste && m.mode != modeSearch && m.mode != modeFilter {
		return m.eachRune(msg)
	}
	switch m.mode {
	case modeSearch, modeFilter:
		return m.inputKey(msg)
	case modeHelp:
		m.mode = modeNormal // any key closes the help
		return m, nil
	}
	return m.normalKey(msg)
}

// eachRune handles keys typed faster than the terminal is read, which
// arrive as one message ("/tick"), one by one: "/" opens the search, the
// rest is typed into it.
func (m Model) eachRune(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	var next tea.Model = m
	for i, r := range msg.Runes {
		cur := next.(Model)
		if cur.mode == modeSearch || cur.mode == modeFilter {
			rest := tea.KeyMsg{Type: tea.KeyRunes, Runes: msg.Runes[i:]}
			next, cmd := cur.key(rest)
			return next, tea.Batch(append(cmds, cmd)...)
		}
		var cmd tea.Cmd
		next, cmd = cur.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		cmds = append(cmds, cmd)
	}
	return next, tea.Batch(cmds...)
}

func (m Model) normalKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	h := m.logHeight()
	page := max(1, h-1)
	switch msg.String() {
	case "q":
		m.quitting = true
		return m, tea.Quit
	case "X":
		if m.stack != nil {
			return m.stackAction("X")
		}
		m.stopAll, m.quitting = true, true
		return m, tea.Quit
	case "?":
		m.mode = modeHelp
	case "up", "k":
		m.move(-1)
	case "down", "j":
		m.move(1)
	case "enter", "tab":
		m.toggleScope()
	case "pgup", "ctrl+b":
		m.logs.scroll(page, h)
	case "pgdown", "ctrl+f", " ":
		m.logs.scroll(-page, h)
	case "home":
		m.logs.scroll(m.logs.count(), h)
	case "g":
		if m.stack != nil {
			m.status = "no dependency view for a deployed stack"
			return m, nil
		}
		m.deps = !m.deps
	case "end", "G", "F":
		m.logs.follow()
	case "/":
		return m.startInput(modeSearch, m.logs.search)
	case "f":
		return m.startInput(modeFilter, m.logs.filter)
	case "n":
		m.findNext(-1)
	case "N":
		m.findNext(1)
	case "t":
		m.logs.stamps = !m.logs.stamps
	case "w":
		m.logs.wrap = !m.logs.wrap
	case "esc":
		m.clearSearch()
	default:
		return m.actionKey(msg.String())
	}
	return m, nil
}

// actionKey handles the keys that act on the stack.
func (m Model) actionKey(k string) (tea.Model, tea.Cmd) {
	if m.stack != nil {
		return m.stackAction(k)
	}
	sel := m.table.selected()
	if sel == nil {
		return m, nil
	}
	switch k {
	case "r":
		m.status = "restarting " + sel.Service + "…"
		return m, m.request(Request{Verb: "restart", Service: sel.Service})
	case "s":
		verb := "stop"
		if sel.State != "running" && sel.State != "restarting" {
			verb = "start"
		}
		m.status = verb + " " + sel.Service + "…"
		return m, m.request(Request{Verb: verb, Service: sel.Service})
	case "c":
		m.status = "recreating " + sel.Service + " (build or pull, new container)…"
		return m, m.request(Request{Verb: "recreate", Service: sel.Service})
	case "R":
		m.status = "restarting all services…"
		return m, m.request(Request{Verb: "restart-all"})
	case "e":
		return m, m.shell(sel.Service)
	case "o":
		return m, m.open(sel)
	case "y":
		return m, m.copyLogs()
	}
	return m, nil
}

// open opens the selected service's first URL in the browser: its
// router name, else its first published port.
func (m Model) open(sel *svcRow) tea.Cmd {
	if urls := termsafeURLs(m.o.URLs[sel.Service]); len(urls) > 0 {
		return m.openURL(urls[0])
	}
	if len(sel.Ports) == 0 {
		return status(sel.Service + " publishes no port")
	}
	p := sel.Ports[0]
	return m.openURL(portURL(p.HostIP, p.HostPort, p.Proto))
}

// openURL opens url in the browser.
func (m Model) openURL(url string) tea.Cmd {
	if m.o.Open == nil {
		return status("no browser here: " + url)
	}
	open := m.o.Open
	return func() tea.Msg {
		if err := open(url); err != nil {
			return statusMsg(err.Error() + ": " + url)
		}
		return statusMsg("opened " + url)
	}
}

// copyLogs puts the log lines on screen on the clipboard (OSC 52).
func (m Model) copyLogs() tea.Cmd {
	if m.o.Copy == nil {
		return status("no clipboard here")
	}
	text := m.visibleText(m.logHeight())
	n := strings.Count(text, "\n")
	copyFn := m.o.Copy
	return func() tea.Msg {
		if err := copyFn(text); err != nil {
			return statusMsg("copy: " + err.Error())
		}
		return statusMsg(fmt.Sprintf("copied %d lines to the clipboard", n))
	}
}

func status(s string) tea.Cmd { return func() tea.Msg { return statusMsg(s) } }

func (m Model) shell(service string) tea.Cmd {
	if m.o.Shell == nil {
		return nil
	}
	return tea.ExecProcess(m.o.Shell(service), func(err error) tea.Msg { return execDoneMsg{err} })
}

// move moves the selection, and a single-service log view with it.
func (m *Model) move(delta int) {
	if m.stack != nil {
		m.stack.move(delta)
	} else {
		m.table.move(delta)
	}
	m.followSelection()
}

// followSelection keeps a single-service log view on the selected service.
func (m *Model) followSelection() {
	if sel := m.selectedService(); sel != "" && m.logs.scope != "" && m.logs.scope != sel {
		m.logs.setScope(sel)
	}
}

// toggleScope switches the logs between all services and the selected one.
func (m *Model) toggleScope() {
	if m.logs.scope != "" {
		m.logs.setScope("")
		return
	}
	if sel := m.selectedService(); sel != "" {
		m.logs.setScope(sel)
	}
}

func (m *Model) findNext(dir int) {
	if m.logs.search == "" {
		return
	}
	if !m.logs.find(dir, m.logHeight()) {
		m.status = "no more matches for " + m.logs.search
		return
	}
	m.status = ""
}

func (m *Model) clearSearch() {
	m.logs.search, m.logs.hasCur = "", false
	m.status = ""
}

func (m Model) startInput(md mode, value string) (tea.Model, tea.Cmd) {
	m.mode = md
	m.input.SetValue(value)
	m.input.CursorEnd()
	return m, m.input.Focus()
}

// inputKey edits the search or filter text; enter applies it, esc cancels.
func (m Model) inputKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch msg.Type {
	case tea.KeyEsc:
		m.mode = modeNormal
		m.input.Blur()
		return m, nil
	case tea.KeyEnter:
		value := m.input.Value()
		if m.mode == modeFilter {
			m.logs.setFilter(value)
		} else {
			m.logs.search, m.logs.hasCur = termsafe.Lower(value), false
			m.findNext(-1)
		}
		m.mode = modeNormal
		m.input.Blur()
		return m, nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}
