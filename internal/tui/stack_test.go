package tui

import (
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/devstack/devstack/internal/feed"
)

func deployed() BatchMsg {
	return BatchMsg{Full: true, Stack: true,
		Services: []feed.ServiceState{
			{ID: "s2", Name: "web", Mode: "replicated", Running: 1, Desired: 2, Image: "reg:5000/app:2", Update: "updating",
				Ports: []feed.PortBinding{{HostPort: 8080, ContainerPort: 80, Proto: "tcp", Mode: "ingress"}}},
			{ID: "s1", Name: "db", Mode: "global", Running: 1, Desired: 1, Image: "db:1"},
		},
		States: []feed.ContainerState{
			{ID: "t1", Name: "web.1", Service: "web", Number: 1, Node: "node1", State: "running", Desired: "running",
				StartedAt: t0.Add(-3 * time.Minute), IPs: []feed.NetworkIP{{Network: "p_default", IP: "10.0.1.3"}, {Network: "p_back", IP: "10.0.2.3"}}},
			{ID: "t2", Name: "web.2", Service: "web", Number: 2, Node: "node2", State: "failed", Desired: "shutdown",
				StartedAt: t0.Add(-5 * time.Second), Error: "task: non-zero exit (1)"},
			{ID: "t3", Name: "db", Service: "db", Node: "node1", State: "running", Desired: "running", StartedAt: t0.Add(-time.Hour),
				IPs: []feed.NetworkIP{{Network: "p_default", IP: "10.0.1.2"}}},
		}}
}

func stackModel(t *testing.T, w, h int) Model {
	t.Helper()
	m := New(Options{Project: "p", Now: func() time.Time { return t0 }})
	m = send(m, tea.WindowSizeMsg{Width: w, Height: h}, deployed())
	return send(m, BatchMsg{Lines: []feed.LogLine{
		{ContainerID: "t1", Service: "web", Number: 1, Time: t0, Text: "web says hi", Source: "web.1@node1"},
		{ContainerID: "t3", Service: "db", Time: t0, Text: "db says hi", Source: "db@node1"},
	}})
}

func TestStackView(t *testing.T) {
	m := stackModel(t, 140, 30)
	v := m.View()
	lines := checkFrame(t, v, 140, 30)
	mustContain(t, v, "devstack · p  stack · 2 services · 2/3 tasks running",
		"SERVICE/TASK", "MODE/NODE", "REPLICAS/STATE", "IMAGE/IP", "UPDATE/SINCE", "PORTS/ERROR",
		"web.1@node1 | web says hi", "db@node1    | db says hi")
	want := []string{
		`^> db +global +1/1 +db:1 +- +-$`,
		`^    db +node1 +running +default=10\.0\.1\.2 +1h $`,
		`^  web +replicated +1/2 +reg:5000/app:2 +updating +\*:8080->80/tcp$`,
		`^    web\.1 +node1 +running +default=10\.0\.1\.3 back=10\.0\.2\.3 +3m $`,
		`^    web\.2 +node2 +failed → shutdown +- +5s +task: non-zero exit \(1\)$`,
	}
	for i, re := range want {
		if got := strings.TrimRight(lines[2+i], " ") + map[bool]string{true: " ", false: ""}[strings.HasSuffix(re, " $")]; !regexp.MustCompile(re).MatchString(got) {
			t.Errorf("line %d: %q does not match %s", 2+i, lines[2+i], re)
		}
	}
}

func TestStackKeys(t *testing.T) {
	m := stackModel(t, 140, 30)
	m = keys(m, "j", "enter")
	v := m.View()
	mustContain(t, v, "> web ", "logs: web · 1 lines")
	if strings.Contains(v, "db says hi") {
		t.Errorf("web's logs show db's lines:\n%s", v)
	}
	m = keys(m, "r")
	mustContain(t, m.View(), "r: not on a deployed stack (change it with devstack deploy)")
	next, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'X'}})
	if cmd != nil || next.(Model).StopStack() {
		t.Errorf("X stops a deployed stack")
	}
	// A task gone and the service scaled: the view follows the whole set.
	b := deployed()
	b.States = b.States[:1]
	b.Services[0].Running, b.Services[0].Desired, b.Services[0].Update = 1, 1, "completed"
	v = send(m, b).View()
	mustContain(t, v, "replicated 1/1 ", "updated")
	if regexp.MustCompile(`(?m)^ +web\.2 `).MatchString(v) || regexp.MustCompile(`(?m)^ +db +node1`).MatchString(v) {
		t.Errorf("tasks not in the set still shown:\n%s", v)
	}
}

func TestStackEmpty(t *testing.T) {
	m := New(Options{Project: "p", Now: func() time.Time { return t0 }})
	m = send(m, tea.WindowSizeMsg{Width: 80, Height: 24}, BatchMsg{Full: true, Stack: true})
	v := m.View()
	checkFrame(t, v, 80, 24)
	mustContain(t, v, "no services in stack p", "0 services · 0/0 tasks running")
}

// TestStackViewUpdateWords: the update column words a state as the events
// do (feed.UpdateText), a paused update included.
func TestStackViewUpdateWords(t *testing.T) {
	for state, want := range map[string]string{"paused": "update paused", "rollback_completed": "rolled back", "completed": "updated"} {
		m := New(Options{Project: "p", Now: func() time.Time { return t0 }})
		b := deployed()
		b.Services[0].Update = state
		m = send(m, tea.WindowSizeMsg{Width: 140, Height: 30}, b)
		re := regexp.MustCompile(`(?m)^  web +replicated +1/2 +reg:5000/app:2 +` + want + ` +\*:8080->80/tcp *$`)
		if v := m.View(); !re.MatchString(v) {
			t.Errorf("update %s: no line matching %s in\n%s", state, re, v)
		}
	}
}

// A Kubernetes deployment's pods as tasks: restarts beside the state, why
// the container last ended in the error column, the kind as the mode.
func TestStackViewPods(t *testing.T) {
	m := New(Options{Project: "p", Now: func() time.Time { return t0 }, Peer: "cluster"})
	m = send(m, tea.WindowSizeMsg{Width: 140, Height: 30}, BatchMsg{Full: true, Stack: true, Conn: &feed.ConnState{Connected: true},
		Services: []feed.ServiceState{{ID: "Deployment/api", Name: "api", Mode: "Deployment", Running: 0, Desired: 1, Image: "app:1", Update: "failed", UpdateMsg: "deadline exceeded",
			Ports: []feed.PortBinding{{HostPort: 30080, ContainerPort: 8080, Proto: "tcp"}}}},
		States: []feed.ContainerState{{ID: "api-7c-a", Name: "api-7c-a", Service: "api", Node: "node1", State: "unready", RestartCount: 2,
			StartedAt: t0.Add(-time.Minute), IPs: []feed.NetworkIP{{Network: "pod", IP: "10.88.0.4"}}, Error: "CrashLoopBackOff"}},
	})
	lines := checkFrame(t, m.View(), 140, 30)
	mustContain(t, m.View(), "cluster connected")
	mustContain(t, send(m, BatchMsg{Conn: &feed.ConnState{Err: "cluster connection lost: EOF"}}).View(), "CLUSTER CONNECTION LOST, reconnecting")
	for i, re := range []string{
		`^> api +Deployment +0/1 +app:1 +failed +\*:30080->8080/tcp$`,
		`^    api-7c-a +node1 +unready, 2 restarts +pod=10\.88\.0\.4 +1m +CrashLoopBackOff$`,
	} {
		if got := strings.TrimRight(lines[2+i], " "); !regexp.MustCompile(re).MatchString(got) {
			t.Errorf("line %d: %q does not match %s", 2+i, got, re)
		}
	}
}

// A task's node, state and error come from the cluster or a container's
// own words: control characters are shown quoted, never acted on.
func TestTaskCellsEscaped(t *testing.T) {
	var m Model
	r := &svcRow{ContainerState: feed.ContainerState{Name: "web.1", Node: "n\x1b[2J", State: "failed", Error: "boom\x1b]0;pwned\x07"}}
	cells := m.taskCells(r)
	for _, c := range cells {
		if strings.ContainsAny(c, "\x1b\x07") {
			t.Errorf("cell %q carries a control character", c)
		}
	}
	if !strings.Contains(cells[5], `\x1b]0;pwned`) {
		t.Errorf("error cell %q", cells[5])
	}
}
