package tui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/devstack/devstack/internal/feed"
	"github.com/devstack/devstack/internal/termsafe"
)

// stackView is what the dashboard knows of a deployed stack besides its
// tasks (which are the table's rows): its swarm services, and which one
// is selected.
type stackView struct {
	services []feed.ServiceState // sorted by name
	sel      string
}

func (v *stackView) set(services []feed.ServiceState) {
	v.services = slices.Clone(services)
	slices.SortFunc(v.services, func(a, b feed.ServiceState) int { return strings.Compare(a.Name, b.Name) })
}

func (v *stackView) selectedIndex() int {
	for i, s := range v.services {
		if s.Name == v.sel {
			return i
		}
	}
	return 0
}

func (v *stackView) selected() *feed.ServiceState {
	if len(v.services) == 0 {
		return nil
	}
	return &v.services[v.selectedIndex()]
}

func (v *stackView) move(delta int) {
	if len(v.services) == 0 {
		return
	}
	i := max(0, min(len(v.services)-1, v.selectedIndex()+delta))
	v.sel = v.services[i].Name
}

// stackLine is one line of the stack's table: a service, or one of its tasks.
type stackLine struct {
	svc  *feed.ServiceState
	task *svcRow
}

// stackLines lists the services, each followed by its tasks.
func (m Model) stackLines() []stackLine {
	out := make([]stackLine, 0, len(m.stack.services)+len(m.table.rows))
	for i := range m.stack.services {
		s := &m.stack.services[i]
		out = append(out, stackLine{svc: s})
		for _, r := range m.table.rows {
			if r.Service == s.Name {
				out = append(out, stackLine{task: r})
			}
		}
	}
	return out
}

// stackCols are the stack table's columns: a service's values on its
// line, its tasks' below them.
var stackCols = []struct {
	title  string
	lo, hi int
}{
	{"SERVICE/TASK", 12, 26}, {"MODE/NODE", 9, 16}, {"REPLICAS/STATE", 14, 24},
	{"IMAGE/IP", 8, 34}, {"UPDATE/SINCE", 12, 22}, {"PORTS/ERROR", 11, 0},
}

// stackTableLines renders the header and at most rows lines of the
// stack, keeping the selected service's line in sight.
func (m Model) stackTableLines(width, rows int) []string {
	lines := m.stackLines()
	cells := make([][]string, len(lines))
	for i, l := range lines {
		if l.svc != nil {
			cells[i] = m.serviceCells(l.svc)
		} else {
			cells[i] = m.taskCells(l.task)
		}
	}
	widths := make([]int, len(stackCols))
	used := 2
	for c, col := range stackCols[:len(stackCols)-1] {
		w := max(col.lo, len(col.title))
		for _, row := range cells {
			w = max(w, ansi.StringWidth(row[c]))
		}
		widths[c] = min(w, col.hi)
		used += widths[c] + 1
	}
	widths[len(widths)-1] = max(stackCols[len(stackCols)-1].lo, width-used)
	var head strings.Builder
	head.WriteString("  ")
	for c, col := range stackCols {
		head.WriteString(pad(col.title, widths[c]) + " ")
	}
	out := []string{m.st.header.Render(strings.TrimRight(head.String(), " "))}
	if len(lines) == 0 {
		return append(out, m.st.dim.Render("  no services in stack "+m.o.Project))
	}
	sel := 0
	selName := ""
	if s := m.stack.selected(); s != nil {
		selName = s.Name
	}
	for i, l := range lines {
		if l.svc != nil && l.svc.Name == selName {
			sel = i
		}
	}
	first := max(0, min(sel, len(lines)-rows))
	for i := first; i < len(lines) && i < first+rows; i++ {
		out = append(out, m.stackRow(lines[i], cells[i], widths, i == sel))
	}
	return out
}

func (m Model) stackRow(l stackLine, cells []string, widths []int, selected bool) string {
	var b strings.Builder
	b.WriteString(m.cursor(selected))
	for c, text := range cells {
		cell := fit(text, widths[c])
		style := m.st.dim.UnsetFaint()
		switch {
		case c == 0 && l.svc != nil:
			style = m.st.service(l.svc.Name)
			if selected {
				style = style.Inherit(m.st.selected)
			}
		case c == 0:
			style = m.st.service(l.task.Service)
		case c == 2 && l.svc != nil:
			style = m.replicasStyle(l.svc)
		case c == 2:
			style = m.st.state(taskStateStyle(l.task.State))
		case c == 4 && l.svc != nil:
			style = m.updateStyle(l.svc.Update)
		case c == 5 && l.task != nil && l.task.Error != "":
			style = m.st.bad
		}
		b.WriteString(style.Render(cell) + " ")
	}
	return b.String()
}

func (m Model) serviceCells(s *feed.ServiceState) []string {
	replicas := fmt.Sprintf("%d/%d", s.Running, s.Desired)
	update := "-"
	if s.Update != "" {
		update = feed.UpdateText(s.Update)
	}
	image := s.Image
	if image == "" {
		image = "-"
	}
	return []string{termsafe.Name(s.Name), s.Mode, replicas, termsafe.Name(image), update, swarmPortsText(s.Ports)}
}

func (m Model) taskCells(r *svcRow) []string {
	name := "  " + termsafe.Name(r.Name)
	node := r.Node
	if node == "" {
		node = "-"
	}
	state := r.State
	if r.Desired != "" && r.Desired != r.State && r.Desired != "running" && r.Desired != "ready" && r.Desired != "accepted" {
		state += " → " + r.Desired
	}
	switch { // a Kubernetes pod's containers' restarts
	case r.RestartCount == 1:
		state += ", 1 restart"
	case r.RestartCount > 1:
		state += ", " + strconv.Itoa(r.RestartCount) + " restarts"
	}
	since := "-"
	if !r.StartedAt.IsZero() {
		since = shortDuration(m.now.Sub(r.StartedAt))
	}
	last := r.Error
	if last == "" {
		last = swarmPortsText(r.Ports)
		if last == "-" {
			last = ""
		}
	}
	// node, state and error come from the cluster (a pod's waiting or
	// termination message is the container's own words): escaped
	return []string{name, termsafe.Name(node), termsafe.Name(state), taskIPs(r.IPs, m.o.Project), since, termsafe.Name(last)}
}

// taskIPs shows a task's address on each network, the stack's prefix
// taken off the network's name: "default=10.0.1.3".
func taskIPs(ips []feed.NetworkIP, project string) string {
	if len(ips) == 0 {
		return "-"
	}
	parts := make([]string, 0, len(ips))
	for _, n := range ips {
		parts = append(parts, strings.TrimPrefix(n.Network, project+"_")+"="+n.IP)
	}
	return strings.Join(parts, " ")
}

// swarmPortsText shows published ports as docker service ls does: *:8080->80/tcp,
// with (host) for host-mode ones (published on the task's node only).
func swarmPortsText(ps []feed.PortBinding) string {
	if len(ps) == 0 {
		return "-"
	}
	parts := make([]string, 0, len(ps))
	for _, p := range ps {
		s := "*:" + strconv.Itoa(p.HostPort) + "->" + strconv.Itoa(p.ContainerPort) + "/" + p.Proto
		if p.Mode == "host" {
			s += " (host)"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func (m Model) updateStyle(state string) lipgloss.Style {
	switch state {
	case "updating", "rollback_started":
		return m.st.warn
	case "paused", "rollback_paused", "rollback_completed":
		return m.st.bad
	case "completed":
		return m.st.good
	}
	return m.st.dim.UnsetFaint()
}

func (m Model) replicasStyle(s *feed.ServiceState) lipgloss.Style {
	if s.Running >= s.Desired {
		return m.st.good
	}
	return m.st.warn
}

// taskStateStyle maps a task state onto the container state whose colour it gets.
func taskStateStyle(state string) string {
	switch state {
	case "running", "complete", "succeeded":
		return "running"
	case "failed", "rejected", "orphaned":
		return "dead"
	}
	return "created"
}

// stackTitle is the title line's summary of a stack: services, tasks running of those wanted.
func (m Model) stackTitle() string {
	running, desired := 0, 0
	for _, s := range m.stack.services {
		running += s.Running
		desired += s.Desired
	}
	return fmt.Sprintf("  stack · %d services · %d/%d tasks running", len(m.stack.services), running, desired)
}

// stackTableRows is how many lines the stack's table gets: all of them, up to a third of the screen.
func (m Model) stackTableRows() int {
	n := max(1, len(m.stack.services)+len(m.table.rows))
	return max(1, min(n, (m.height-6)/3))
}

// selectedService names the selected service, of the stack or of the containers.
func (m Model) selectedService() string {
	if m.stack != nil {
		if s := m.stack.selected(); s != nil {
			return s.Name
		}
		return ""
	}
	if sel := m.table.selected(); sel != nil {
		return sel.Service
	}
	return ""
}

// stackAction answers the keys that act on containers devstack up made,
// which a deployed stack has not: its services are changed by deploying.
func (m Model) stackAction(k string) (Model, tea.Cmd) {
	switch k {
	case "r", "s", "c", "R", "e", "X":
		m.status = k + ": not on a deployed stack (change it with devstack deploy)"
		return m, nil
	case "o":
		sel := m.stack.selected()
		if sel == nil || len(sel.Ports) == 0 {
			return m, status("no published port")
		}
		p := sel.Ports[0]
		return m, m.openURL(portURL("", p.HostPort, p.Proto))
	case "y":
		return m, m.copyLogs()
	}
	return m, nil
}
