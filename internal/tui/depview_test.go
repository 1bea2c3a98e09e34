package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/devstack/devstack/internal/feed"
)

func TestEdgeState(t *testing.T) {
	row := func(state, health string, code int) *svcRow {
		return &svcRow{ContainerState: feed.ContainerState{State: state, Health: health, ExitCode: code}}
	}
	for _, tc := range []struct {
		name, condition string
		deps            []*svcRow
		want            string
	}{
		{"healthy", "service_healthy", []*svcRow{row("running", "healthy", 0)}, edgeSatisfied},
		{"starting", "service_healthy", []*svcRow{row("running", "starting", 0)}, edgeWaiting},
		{"unhealthy", "service_healthy", []*svcRow{row("running", "unhealthy", 0)}, edgeFailed},
		{"exited before healthy", "service_healthy", []*svcRow{row("exited", "unhealthy", 1)}, edgeFailed},
		{"crash loop", "service_healthy", []*svcRow{row("restarting", "starting", 3)}, edgeWaiting},
		{"crash loop, unhealthy before it exited", "service_healthy", []*svcRow{row("restarting", "unhealthy", 3)}, edgeWaiting},
		{"one replica of two healthy", "service_healthy", []*svcRow{row("running", "healthy", 0), row("running", "starting", 0)}, edgeWaiting},
		{"started", "service_started", []*svcRow{row("running", "", 0)}, edgeSatisfied},
		{"created", "service_started", []*svcRow{row("created", "", 0)}, edgeWaiting},
		{"no container", "service_started", nil, edgeWaiting},
		{"completed", "service_completed_successfully", []*svcRow{row("exited", "", 0)}, edgeSatisfied},
		{"failed job", "service_completed_successfully", []*svcRow{row("exited", "", 2)}, edgeFailed},
		{"job running", "service_completed_successfully", []*svcRow{row("running", "", 0)}, edgeWaiting},
	} {
		if got := edgeState(tc.condition, tc.deps); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
}

func depStack() []feed.ContainerState {
	return []feed.ContainerState{
		{ID: "w1", Name: "p-web-1", Service: "web", Number: 1, State: "created",
			DependsOn: []feed.Dependency{{Service: "api", Condition: "service_healthy"}}},
		{ID: "a1", Name: "p-api-1", Service: "api", Number: 1, State: "running", Health: "starting",
			DependsOn: []feed.Dependency{{Service: "db", Condition: "service_healthy"}, {Service: "migrate", Condition: "service_completed_successfully"}},
			Probes:    []feed.Probe{{Start: t0.Add(-2e9), ExitCode: 1, Output: "connection refused\nmore"}, {Start: t0.Add(-1e9), ExitCode: 1, Output: "connection refused"}}},
		{ID: "d1", Name: "p-db-1", Service: "db", Number: 1, State: "running", Health: "healthy",
			Probes: []feed.Probe{{Start: t0, ExitCode: 0, Output: "accepting connections"}}},
		{ID: "m1", Name: "p-migrate-1", Service: "migrate", Number: 1, State: "exited", ExitCode: 0},
	}
}

func TestDepGraphLevels(t *testing.T) {
	var rows []*svcRow
	for _, st := range depStack() {
		rows = append(rows, &svcRow{ContainerState: st})
	}
	var got []string
	for _, n := range depGraph(rows) {
		got = append(got, n.name+":"+string(rune('0'+n.level)))
	}
	if strings.Join(got, " ") != "db:0 migrate:0 api:1 web:2" {
		t.Fatalf("got %v", got)
	}
}

// g shows the graph in place of the logs, each edge with its condition and
// state, and the selected service's last probes; g again brings the logs back.
func TestDependencyView(t *testing.T) {
	m := New(Options{Project: "p", Now: func() time.Time { return t0 }})
	m = send(m, tea.WindowSizeMsg{Width: 100, Height: 30}, BatchMsg{Full: true, States: depStack()})
	m = keys(m, "g")
	m = keys(m, "j") // rows by service: api, db, migrate, web
	view := m.View()
	checkFrame(t, view, 100, 30)
	for _, want := range []string{
		"── dependencies (depends_on, with their condition) · g back to the logs",
		"\n> db  running, healthy\n",
		"\n  migrate  exited (exit 0, 0 restarts)\n",
		"\n     api  running, starting\n",
		"\n      └─▶ db healthy: satisfied\n",
		"\n      └─▶ migrate completed: satisfied\n",
		"\n        web  created\n",
		"\n         └─▶ api healthy: waiting\n",
		"── health of db: last probes, newest last",
		"  " + t0.Local().Format("15:04:05") + "  exit 0  accepting connections",
	} {
		if !strings.Contains(view, want) {
			t.Errorf("missing %q in\n%s", want, view)
		}
	}
	m = keys(m, "k")
	if view := m.View(); !strings.Contains(view, "exit 1  connection refused\n") || !strings.Contains(view, "\n>    api  running, starting\n") {
		t.Errorf("api's probes:\n%s", view)
	}
	m = keys(m, "g")
	if view := m.View(); strings.Contains(view, "dependencies") || !strings.Contains(view, "── logs: all") {
		t.Errorf("g again should show the logs:\n%s", view)
	}
}

// Service names come from labels anyone can set: the view prints them
// escaped, as the table does, never as escape sequences.
func TestDependencyViewEscapesNames(t *testing.T) {
	evil := "web\x1b[2J"
	states := []feed.ContainerState{
		{ID: "w1", Name: "p-web-1", Service: evil, Number: 1, State: "running",
			DependsOn: []feed.Dependency{{Service: "db\x1b]0;owned\x07", Condition: "service_healthy"}}},
	}
	m := New(Options{Project: "p", Now: func() time.Time { return t0 }})
	m = send(m, tea.WindowSizeMsg{Width: 100, Height: 30}, BatchMsg{Full: true, States: states})
	m = keys(m, "g")
	view := m.View()
	if strings.Contains(view, "\x1b[2J") || strings.Contains(view, "\x1b]0;") {
		t.Fatalf("an escape sequence from a label reached the screen:\n%q", view)
	}
	for _, want := range []string{`"web\x1b[2J"  running`, `└─▶ "db\x1b]0;owned\a" healthy: waiting`, `"web\x1b[2J" has no health check`} {
		if !strings.Contains(view, want) {
			t.Errorf("missing %s in\n%s", want, view)
		}
	}
}
