package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// column is one column of the services table.
type column struct {
	title string
	width int
	cell  func(r *svcRow) (string, lipgloss.Style)
}

// minPortsWidth fits one URL: http://127.0.0.1:65535 is 22 wide.
const minPortsWidth = 22

// columns picks the columns that fit in width: PORTS takes what is left,
// and CPU%, MEM, then UPTIME give way on narrow terminals.
func (m Model) columns(width int) []column {
	s := m.st
	fixed := func(title string, w int, f func(r *svcRow) (string, lipgloss.Style)) column {
		return column{title: title, width: max(w, len(title)), cell: f}
	}
	widest := func(lo, hi int, f func(r *svcRow) string) int {
		w := lo
		for _, r := range m.table.rows {
			w = max(w, ansi.StringWidth(f(r)))
		}
		return min(w, hi)
	}
	svc := fixed("SERVICE", widest(7, 24, (*svcRow).source), func(r *svcRow) (string, lipgloss.Style) { return r.source(), s.service(r.Service) })
	state := fixed("STATE", widest(7, 16, stateText), func(r *svcRow) (string, lipgloss.Style) { return stateText(r), s.state(r.State) })
	health := fixed("HEALTH", widest(6, 9, healthText), func(r *svcRow) (string, lipgloss.Style) { return healthText(r), s.health(r.Health) })
	ip := fixed("IP", widest(2, 18, ipText), func(r *svcRow) (string, lipgloss.Style) { return ipText(r), s.dim.UnsetFaint() })
	uptime := fixed("UPTIME", 6, func(r *svcRow) (string, lipgloss.Style) { return m.uptime(r), s.dim.UnsetFaint() })
	restarts := fixed("RESTARTS", 3, func(r *svcRow) (string, lipgloss.Style) { return restartText(r), restartStyle(s, r) })
	cpu := fixed("CPU%", 6, func(r *svcRow) (string, lipgloss.Style) { return cpuText(r), s.dim.UnsetFaint() })
	mem := fixed("MEM", 8, func(r *svcRow) (string, lipgloss.Style) { return memText(r), s.dim.UnsetFaint() })
	ports := column{title: "PORTS", cell: func(r *svcRow) (string, lipgloss.Style) { return m.portsText(r), s.dim.UnsetFaint() }}
	cols := []column{svc, state, health, ip, ports, uptime, restarts, cpu, mem}
	drop := []string{"MEM", "CPU%", "UPTIME", "HEALTH"}
	if len(m.watch) > 0 {
		cols = []column{svc, state, m.watchColumn(widest), health, ip, ports, uptime, restarts, cpu, mem}
		drop = []string{"MEM", "CPU%", "UPTIME", "IP", "HEALTH"}
	}
	for {
		used := 2 // selection marker
		for _, c := range cols {
			if c.title != "PORTS" {
				used += c.width + 1
			}
		}
		rest := width - used - 1 // PORTS and its separator
		if rest >= minPortsWidth || len(drop) == 0 {
			for i := range cols {
				if cols[i].title == "PORTS" {
					cols[i].width = max(5, rest)
				}
			}
			return cols
		}
		cols = without(cols, drop[0])
		drop = drop[1:]
	}
}

func without(cols []column, title string) []column {
	out := cols[:0:0]
	for _, c := range cols {
		if c.title != title {
			out = append(out, c)
		}
	}
	return out
}

// tableLines renders the header and at most rows rows, keeping the selection in sight.
func (m Model) tableLines(width, rows int) []string {
	cols := m.columns(width)
	var head strings.Builder
	head.WriteString("  ")
	for _, c := range cols {
		head.WriteString(pad(c.title, c.width) + " ")
	}
	out := []string{m.st.header.Render(strings.TrimRight(head.String(), " "))}
	if len(m.table.rows) == 0 {
		return append(out, m.st.dim.Render("  no containers in project "+m.o.Project+" (is it up?)"))
	}
	sel := m.table.selectedIndex()
	first := max(0, min(sel-rows+1, len(m.table.rows)-rows))
	for i := first; i < len(m.table.rows) && i < first+rows; i++ {
		out = append(out, m.rowLine(cols, m.table.rows[i], i == sel))
	}
	return out
}

func (m Model) rowLine(cols []column, r *svcRow, selected bool) string {
	var b strings.Builder
	b.WriteString(m.cursor(selected))
	for i, c := range cols {
		text, style := c.cell(r)
		cell := fit(text, c.width)
		if i == 0 && selected {
			style = style.Inherit(m.st.selected)
		}
		b.WriteString(style.Render(cell) + " ")
	}
	return b.String()
}

// cursor is what a row of the services' or the stack's table begins
// with: the selection's marker, or as many spaces.
func (m Model) cursor(selected bool) string {
	if selected {
		return m.st.key.Render(">") + " "
	}
	return "  "
}

// fit cuts a cell's text to w columns (… where cut) and pads it to w.
func fit(text string, w int) string {
	return pad(ansi.Truncate(text, w, "…"), w)
}

func pad(s string, w int) string {
	if n := ansi.StringWidth(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

func stateText(r *svcRow) string {
	switch r.State {
	case "exited", "dead", "restarting":
		return fmt.Sprintf("%s (%d)", r.State, r.ExitCode)
	}
	return r.State
}

func healthText(r *svcRow) string {
	if r.Health == "" || (r.State != "running" && r.State != "restarting") {
		return "-"
	}
	return r.Health
}

func ipText(r *svcRow) string {
	if len(r.IPs) == 0 {
		return "-"
	}
	if len(r.IPs) > 1 {
		return r.IPs[0].IP + " +" + strconv.Itoa(len(r.IPs)-1)
	}
	return r.IPs[0].IP
}

// portsText shows the service's router URLs, then its published ports as
// URLs a person can open.
func (m Model) portsText(r *svcRow) string {
	urls := termsafeURLs(m.o.URLs[r.Service])
	for _, p := range r.Ports {
		urls = append(urls, portURL(p.HostIP, p.HostPort, p.Proto))
	}
	if len(urls) == 0 {
		return "-"
	}
	return strings.Join(urls, " ")
}

func portURL(hostIP string, port int, proto string) string {
	switch hostIP {
	case "", "0.0.0.0":
		hostIP = "127.0.0.1"
	case "::":
		hostIP = "[::1]"
	}
	if strings.Contains(hostIP, ":") && !strings.HasPrefix(hostIP, "[") {
		hostIP = "[" + hostIP + "]"
	}
	if proto == "udp" {
		return fmt.Sprintf("udp://%s:%d", hostIP, port)
	}
	return fmt.Sprintf("http://%s:%d", hostIP, port)
}

func (m Model) uptime(r *svcRow) string {
	if r.State != "running" || r.StartedAt.IsZero() {
		return "-"
	}
	return shortDuration(m.now.Sub(r.StartedAt))
}

func shortDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return "0s"
	case d < time.Minute:
		return strconv.Itoa(int(d.Seconds())) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d.Minutes())) + "m"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d.Hours())) + "h"
	}
	return strconv.Itoa(int(d.Hours()/24)) + "d"
}

func restartText(r *svcRow) string { return strconv.Itoa(r.RestartCount) }

func restartStyle(s styles, r *svcRow) lipgloss.Style {
	if r.RestartCount > 0 {
		return s.warn
	}
	return s.dim.UnsetFaint()
}

func cpuText(r *svcRow) string {
	if !r.hasStats {
		return "-"
	}
	return strconv.FormatFloat(r.stats.CPUPercent, 'f', 1, 64)
}

func memText(r *svcRow) string {
	if !r.hasStats {
		return "-"
	}
	return humanBytes(r.stats.MemBytes)
}

func humanBytes(b uint64) string {
	const unit = 1024
	if b < unit {
		return strconv.FormatUint(b, 10) + "B"
	}
	div, exp := uint64(unit), 0
	for n := b / unit; n >= unit; n /= unit {
		div *= unit
		exp++
	}
	return strconv.FormatFloat(float64(b)/float64(div), 'f', 1, 64) + string("KMGTPE"[exp]) + "iB"
}

// termsafeURLs keeps the URLs that are plain printable ASCII (they come
// from the router's routes; a name there was made a DNS label already).
func termsafeURLs(urls []string) []string {
	out := make([]string, 0, len(urls))
	for _, u := range urls {
		if strings.IndexFunc(u, func(r rune) bool { return r <= ' ' || r > '~' }) < 0 {
			out = append(out, u)
		}
	}
	return out
}
