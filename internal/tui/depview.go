package tui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/devstack/devstack/internal/feed"
	"github.com/devstack/devstack/internal/termsafe"
)

// The states of a depends_on edge in the dependency view.
const (
	edgeSatisfied = "satisfied"
	edgeWaiting   = "waiting"
	edgeFailed    = "failed"
)

// conditionWord is a depends_on condition as the view says it.
func conditionWord(c string) string {
	switch c {
	case "service_healthy":
		return "healthy"
	case "service_completed_successfully":
		return "completed"
	}
	return "started"
}

// edgeState says whether the dependency's containers meet the condition,
// may still, or never will (exited, unhealthy). Pure.
func edgeState(condition string, deps []*svcRow) string {
	if len(deps) == 0 {
		return edgeWaiting
	}
	state := edgeSatisfied
	for _, d := range deps {
		switch s := containerEdge(condition, d.ContainerState); {
		case s == edgeFailed:
			return edgeFailed
		case s == edgeWaiting:
			state = edgeWaiting
		}
	}
	return state
}

func containerEdge(condition string, c feed.ContainerState) string {
	exited := c.State == "exited" || c.State == "dead"
	switch conditionWord(condition) {
	case "healthy":
		switch {
		case c.Health == "healthy" && c.State == "running":
			return edgeSatisfied
		case c.State == "restarting": // up waits through restarts
			return edgeWaiting
		case c.Health == "unhealthy" || exited:
			return edgeFailed
		}
	case "completed":
		switch {
		case exited && c.ExitCode == 0:
			return edgeSatisfied
		case exited:
			return edgeFailed
		}
	default:
		if c.State == "running" || c.State == "restarting" || exited {
			return edgeSatisfied
		}
	}
	return edgeWaiting
}

// depNode is one service of the graph: its level (0: depends on nothing
// shown), its containers and its edges.
type depNode struct {
	name  string
	level int
	rows  []*svcRow
	deps  []feed.Dependency
}

// depGraph orders the services by level, then name. Pure.
func depGraph(rows []*svcRow) []depNode {
	byService := map[string]*depNode{}
	var names []string
	for _, r := range rows {
		n := byService[r.Service]
		if n == nil {
			n = &depNode{name: r.Service}
			byService[r.Service] = n
			names = append(names, r.Service)
		}
		n.rows = append(n.rows, r)
		if len(r.DependsOn) > len(n.deps) {
			n.deps = r.DependsOn
		}
	}
	var level func(string, int) int
	level = func(name string, depth int) int {
		n := byService[name]
		if n == nil || depth > len(byService) { // not shown, or a cycle
			return -1
		}
		l := 0
		for _, d := range n.deps {
			l = max(l, level(d.Service, depth+1)+1)
		}
		return l
	}
	out := make([]depNode, 0, len(names))
	for _, name := range names {
		n := *byService[name]
		n.level = level(name, 0)
		out = append(out, n)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].level != out[j].level {
			return out[i].level < out[j].level
		}
		return out[i].name < out[j].name
	})
	return out
}

// depLines draws the graph, then the selected service's last health
// probes, in h lines. Names come from the engine's labels (anyone's):
// they are printed escaped.
func (m Model) depLines(h int) []string {
	sel := m.selectedService()
	nodes := depGraph(m.table.rows)
	rowsOf := map[string][]*svcRow{}
	for _, n := range nodes {
		rowsOf[n.name] = n.rows
	}
	var lines []string
	for _, n := range nodes {
		mark := "  "
		if n.name == sel {
			mark = "> "
		}
		indent := strings.Repeat("   ", n.level)
		lines = append(lines, mark+indent+termsafe.Name(n.name)+"  "+m.st.dim.Render(nodeState(n.rows)))
		for _, d := range n.deps {
			st := edgeState(d.Condition, rowsOf[d.Service])
			word := m.st.good.Render(st)
			switch st {
			case edgeWaiting:
				word = m.st.warn.Render(st)
			case edgeFailed:
				word = m.st.bad.Render(st)
			}
			lines = append(lines, fmt.Sprintf("  %s └─▶ %s %s: %s", indent, termsafe.Name(d.Service), conditionWord(d.Condition), word))
		}
	}
	lines = append(lines, m.st.header.Render("── health of "+termsafe.Name(sel)+": last probes, newest last "))
	lines = append(lines, m.probeLines(sel)...)
	if len(lines) > h {
		lines = lines[:h]
	}
	return lines
}

func nodeState(rows []*svcRow) string {
	parts := make([]string, 0, len(rows))
	for _, r := range rows {
		s := r.State
		if r.Health != "" {
			s += ", " + r.Health
		}
		if r.State == "exited" || r.State == "restarting" {
			s += fmt.Sprintf(" (exit %d, %d restarts)", r.ExitCode, r.RestartCount)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " · ")
}

// probeLines are the selected service's last probes: time, exit code, output.
func (m Model) probeLines(service string) []string {
	var probes []feed.Probe
	hasCheck := false
	for _, r := range m.table.rows {
		if r.Service == service {
			hasCheck = hasCheck || r.Health != ""
			probes = append(probes, r.Probes...)
		}
	}
	switch {
	case !hasCheck:
		return []string{"  " + termsafe.Name(service) + " has no health check"}
	case len(probes) == 0:
		return []string{"  no probe has run yet"}
	}
	out := make([]string, 0, len(probes))
	for _, p := range probes {
		text, _ := termsafe.Line(firstLine(p.Output), false)
		out = append(out, fmt.Sprintf("  %s  exit %d  %s", p.Start.Local().Format("15:04:05"), p.ExitCode, text))
	}
	return out
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
