package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/devstack/devstack/internal/termsafe"
)

// logLines renders the logs pane: only the h rows it shows, walking back
// from the last visible line. O(h), whatever the number of buffered lines.
func (m Model) logLines(h int) []string {
	p := m.logs
	if p.count() == 0 {
		msg := "no log lines yet"
		if p.filter != "" {
			msg = "no lines match the filter " + p.filter
		}
		return []string{m.st.dim.Render(msg)}
	}
	pad := m.sourceWidth()
	rows := make([]string, 0, h)
	p.visits = 0
	for i := p.count() - 1 - p.offset; i >= 0 && len(rows) < h; i-- {
		p.visits++
		text := m.renderLine(p.at(i), p.pos(i), pad)
		if !p.wrap {
			rows = append(rows, ansi.Truncate(text, m.width, "…"))
			continue
		}
		wrapped := strings.Split(ansi.Hardwrap(text, m.width, true), "\n")
		for j := len(wrapped) - 1; j >= 0 && len(rows) < h; j-- {
			rows = append(rows, wrapped[j])
		}
	}
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
		rows[i], rows[j] = rows[j], rows[i]
	}
	return rows
}

// renderLine is one log line with its prefix, timestamp and search highlights.
func (m Model) renderLine(l Line, pos uint64, pad int) string {
	var b strings.Builder
	if m.logs.scope == "" {
		b.WriteString(m.st.service(l.Service).Render(pad0(l.Source, pad) + " |"))
		b.WriteByte(' ')
	}
	if m.logs.stamps && !l.Time.IsZero() {
		b.WriteString(m.st.dim.Render(l.Time.Local().Format("15:04:05.000")))
		b.WriteByte(' ')
	}
	q := m.logs.search
	if q == "" || !strings.Contains(l.Plain, q) {
		b.WriteString(l.Text)
		return b.String()
	}
	style := m.st.match
	if m.logs.hasCur && m.logs.current == pos {
		style = m.st.current
		b.WriteString(m.st.key.Render("»"))
	}
	plain := ansi.Strip(l.Text)
	lower := termsafe.Lower(plain)
	for {
		i := strings.Index(lower, q)
		if i < 0 {
			break
		}
		b.WriteString(plain[:i])
		b.WriteString(m.mark(style, plain[i:i+len(q)]))
		plain, lower = plain[i+len(q):], lower[i+len(q):]
	}
	b.WriteString(plain)
	return b.String()
}

// sourceWidth is the width of the name column: the longest container name in the table.
func (m Model) sourceWidth() int {
	w := 0
	for _, r := range m.table.rows {
		if m.stack != nil {
			w = max(w, len(r.Name)+1+len(r.Node)) // a task's lines: NAME@NODE
			continue
		}
		w = max(w, len(r.source()))
	}
	return min(w, 24)
}

func pad0(s string, w int) string {
	if len(s) >= w {
		return s
	}
	return s + strings.Repeat(" ", w-len(s))
}

// mark highlights a search match; without colour it brackets it.
func (m Model) mark(style lipgloss.Style, s string) string {
	if !m.st.color {
		return "[" + s + "]"
	}
	return style.Render(s)
}

// visibleText is the pane's lines as plain text, for the clipboard.
func (m Model) visibleText(h int) string {
	p := m.logs
	var lines []string
	for i := p.count() - 1 - p.offset; i >= 0 && len(lines) < h; i-- {
		l := p.at(i)
		text := ansi.Strip(l.Text)
		if p.scope == "" {
			text = l.Source + " | " + text
		}
		lines = append(lines, text)
	}
	var b strings.Builder
	for i := len(lines) - 1; i >= 0; i-- {
		b.WriteString(lines[i] + "\n")
	}
	return b.String()
}
