package tui

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/devstack/devstack/internal/termsafe"
)

// View draws the dashboard. Its cost depends on the terminal's size and the
// number of services, never on how many log lines are buffered.
func (m Model) View() string {
	if m.quitting {
		return ""
	}
	if m.width == 0 || m.height == 0 {
		return "devstack: starting the dashboard…"
	}
	if m.width < MinWidth || m.height < MinHeight {
		return m.tooSmall()
	}
	lines := make([]string, 0, m.height)
	lines = append(lines, m.titleLine())
	if m.mode == modeHelp { // the whole screen, so that it fits down to the minimum size
		lines = append(lines, m.helpLines(m.height-2)...)
	} else {
		if m.stack != nil {
			lines = append(lines, m.stackTableLines(m.width, m.tableRows())...)
		} else {
			lines = append(lines, m.tableLines(m.width, m.tableRows())...)
		}
		if m.deps {
			lines = append(lines, m.eventsLine(), m.st.header.Render("── dependencies (depends_on, with their condition) · g back to the logs "))
			lines = append(lines, m.depLines(m.logHeight())...)
		} else {
			lines = append(lines, m.eventsLine(), m.logBar())
			lines = append(lines, m.logLines(m.logHeight())...)
		}
	}
	for len(lines) < m.height-1 {
		lines = append(lines, "")
	}
	lines = append(lines, m.statusLine())
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, m.width, "")
	}
	return strings.Join(lines, "\n")
}

func (m Model) tooSmall() string {
	msg := fmt.Sprintf("Terminal too small: %dx%d, the dashboard needs at least %dx%d.", m.width, m.height, MinWidth, MinHeight)
	hint := "Enlarge the window, or press q to quit."
	return ansi.Hardwrap(msg, max(10, m.width), true) + "\n" + ansi.Hardwrap(hint, max(10, m.width), true)
}

// tableRows is how many service rows the table gets: all of them, up to a third of the screen.
func (m Model) tableRows() int {
	if m.stack != nil {
		return m.stackTableRows()
	}
	n := max(1, len(m.table.rows))
	return max(1, min(n, (m.height-6)/3))
}

// logHeight is what is left for the logs pane: title, table header and
// rows, events line, log bar and status line take the rest.
func (m Model) logHeight() int {
	return max(1, m.height-5-m.tableRows())
}

func (m Model) titleLine() string {
	running := 0
	for _, r := range m.table.rows {
		if r.State == "running" {
			running++
		}
	}
	left := m.st.title.Render("devstack · "+m.o.Project) + fmt.Sprintf("  %d/%d running", running, len(m.table.rows))
	if m.stack != nil {
		left = m.st.title.Render("devstack · "+m.o.Project) + m.stackTitle()
	}
	if w := m.watchMarker(); w != "" && m.stack == nil {
		left += "  " + m.st.good.Render(w)
	}
	peer := cmp.Or(m.o.Peer, "engine")
	conn := m.st.good.Render(peer + " connected")
	if !m.conn.Connected {
		conn = m.st.bad.Render(strings.ToUpper(peer) + " CONNECTION LOST, reconnecting… (" + m.conn.Err + ")")
	}
	return left + "  " + conn
}

func (m Model) eventsLine() string {
	if len(m.events) == 0 {
		return m.st.dim.Render("events: none yet")
	}
	parts := make([]string, 0, 4)
	width := 0
	for i := len(m.events) - 1; i >= 0 && width < m.width; i-- {
		e := m.events[i]
		p := e.Time.Local().Format("15:04:05") + " " + termsafe.Name(e.Text)
		parts = append(parts, p)
		width += len(p) + 3
	}
	return "events: " + strings.Join(parts, " · ")
}

func (m Model) logBar() string {
	scope := "all"
	if m.logs.scope != "" {
		scope = m.logs.scope
	}
	parts := []string{"logs: " + scope, fmt.Sprintf("%d lines", m.logs.ring().Len())}
	if m.logs.offset > 0 {
		parts = append(parts, fmt.Sprintf("scrolled back, %d newer lines below (End follows)", m.logs.offset))
	} else {
		parts = append(parts, "following")
	}
	if m.logs.filter != "" {
		parts = append(parts, fmt.Sprintf("filter %q: %d lines", m.logs.filter, m.logs.count()))
	}
	if m.logs.search != "" {
		parts = append(parts, fmt.Sprintf("search %q (n older, N newer)", m.logs.search))
	}
	if m.logs.stamps {
		parts = append(parts, "timestamps")
	}
	if m.logs.wrap {
		parts = append(parts, "wrap")
	}
	return m.st.header.Render("── " + strings.Join(parts, " · ") + " ")
}

func (m Model) statusLine() string {
	switch m.mode {
	case modeSearch:
		return "search: " + m.input.View()
	case modeFilter:
		return "filter (empty shows all): " + m.input.View()
	}
	keys := "↑↓ select  enter logs  / search  r restart  s stop/start  e shell  ? help  q quit  f filter  X stop all"
	if m.width < 100 {
		keys = "↑↓ select  ⏎ logs  / search  r restart  s stop/start  e shell  ? help  q quit"
	}
	if m.stack != nil {
		keys = "↑↓ select  enter logs  / search  f filter  o open  ? help  q quit"
	}
	if m.status != "" {
		return m.st.warn.Render(m.status) + "  " + m.st.dim.Render(keys)
	}
	return m.st.dim.Render(keys)
}

var helpText = []string{
	"Keys",
	"  ↑/k ↓/j     select a service",
	"  enter, tab  logs of the selected service / of all services",
	"  PgUp PgDn   scroll the logs (or the mouse wheel); Home oldest; End follow",
	"  /           search; n older match, N newer; esc clears",
	"  f           filter: only lines containing the text (empty: all lines)",
	"  t  w        timestamps on/off, wrap long lines on/off",
	"  g           dependency view: depends_on edges (satisfied, waiting, failed)",
	"              and the selected service's last health probes; g again: logs",
	"  r           restart the selected service",
	"  s           stop the selected service, or start it when stopped",
	"  c           recreate it: build or pull its image, new container",
	"  e           shell in it (sh); exit comes back here",
	"  o           open its URL in the browser (router name, else first port)",
	"  y           copy the log lines on screen (OSC 52 clipboard)",
	"  R           restart all services",
	"  q, ctrl+c   quit and leave the stack running",
	"  X           stop the whole stack and quit",
	"  (on a deployed stack r s c e R X do nothing: deploy again to change it;",
	"   o opens the selected service's first published port)",
	"",
	"Any key closes this help.",
}

func (m Model) helpLines(h int) []string {
	if len(helpText) > h {
		return helpText[:h]
	}
	return helpText
}
