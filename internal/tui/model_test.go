package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/devstack/devstack/internal/feed"
)

var t0 = time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)

func stack() []feed.ContainerState {
	return []feed.ContainerState{
		{ID: "w1", Name: "p-web-1", Service: "web", Number: 1, State: "running", Health: "healthy",
			StartedAt: t0.Add(-90 * time.Second),
			IPs:       []feed.NetworkIP{{Network: "p_default", IP: "172.20.0.3"}, {Network: "other", IP: "10.0.0.5"}},
			Ports:     []feed.PortBinding{{HostIP: "127.0.0.1", HostPort: 8080, ContainerPort: 80, Proto: "tcp"}}},
		{ID: "d1", Name: "p-db-1", Service: "db", Number: 1, State: "running", Health: "starting",
			StartedAt: t0.Add(-2 * time.Hour), IPs: []feed.NetworkIP{{Network: "p_default", IP: "172.20.0.2"}}},
		{ID: "c1", Name: "p-crash-1", Service: "crash", Number: 1, State: "restarting", ExitCode: 3, RestartCount: 5},
	}
}

// model returns a dashboard of size w x h showing stack() and some lines.
func model(t *testing.T, color bool, w, h int) Model {
	t.Helper()
	m := New(Options{Project: "p", Color: color, Now: func() time.Time { return t0 }})
	m = send(m, tea.WindowSizeMsg{Width: w, Height: h})
	m = send(m, BatchMsg{Full: true, States: stack()})
	var lines []feed.LogLine
	for i := 0; i < 30; i++ {
		svc := []string{"web", "db"}[i%2]
		lines = append(lines, feed.LogLine{ContainerID: svc, Service: svc, Number: 1, Time: t0, Text: fmt.Sprintf("%s line %d", svc, i)})
	}
	return send(m, BatchMsg{Lines: lines})
}

func send(m Model, msgs ...tea.Msg) Model {
	for _, msg := range msgs {
		next, _ := m.Update(msg)
		m = next.(Model)
	}
	return m
}

func keys(m Model, ks ...string) Model {
	for _, k := range ks {
		var msg tea.KeyMsg
		switch k {
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		case "pgup":
			msg = tea.KeyMsg{Type: tea.KeyPgUp}
		case "pgdown":
			msg = tea.KeyMsg{Type: tea.KeyPgDown}
		case "end":
			msg = tea.KeyMsg{Type: tea.KeyEnd}
		case "home":
			msg = tea.KeyMsg{Type: tea.KeyHome}
		case "down":
			msg = tea.KeyMsg{Type: tea.KeyDown}
		case "up":
			msg = tea.KeyMsg{Type: tea.KeyUp}
		default:
			msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		}
		m = send(m, msg)
	}
	return m
}

// checkFrame asserts the frame fills the terminal exactly, no line wider than it.
func checkFrame(t *testing.T, view string, w, h int) []string {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Errorf("frame has %d lines, want %d:\n%s", len(lines), h, view)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("line %d is %d wide (> %d): %q", i, n, w, l)
		}
	}
	return lines
}

func mustContain(t *testing.T, view string, want ...string) {
	t.Helper()
	for _, s := range want {
		if !strings.Contains(view, s) {
			t.Errorf("view lacks %q:\n%s", s, view)
		}
	}
}

func TestView80x24(t *testing.T) {
	m := model(t, false, 80, 24)
	v := m.View()
	lines := checkFrame(t, v, 80, 24)
	mustContain(t, v, "devstack · p", "2/3 running", "engine connected",
		"SERVICE", "STATE", "HEALTH", "IP", "PORTS", "RESTARTS",
		"web", "healthy", "172.20.0.3 +1", "http://127.0.0.1:8080",
		"db", "starting", "crash", "restarting (3)",
		"logs: all · 30 lines · following", "web   | web line 28", "db    | db line 29")
	if !strings.HasPrefix(lines[2], "> crash") {
		t.Errorf("first row should be selected: %q", lines[2])
	}
	if !strings.Contains(lines[23], "q quit") {
		t.Errorf("last line should be the key help: %q", lines[23])
	}
	if !strings.Contains(lines[22], "db line 29") {
		t.Errorf("newest line should sit just above the status line: %q", lines[22])
	}
}

func TestView120x40(t *testing.T) {
	m := model(t, false, 120, 40)
	m = send(m, BatchMsg{Stats: []feed.Stats{{ContainerID: "w1", CPUPercent: 12.34, MemBytes: 3 << 20}}})
	v := m.View()
	checkFrame(t, v, 120, 40)
	mustContain(t, v, "UPTIME", "CPU%", "MEM", "1m", "2h", "12.3", "3.0MiB", "web line 0")
}

func TestNoColor(t *testing.T) {
	m := model(t, false, 100, 30)
	m = send(m, BatchMsg{Lines: []feed.LogLine{{Service: "web", Text: "\x1b[31mred\x1b[0m text\x1b[2J\x1b]0;title\x07"}}})
	v := m.View()
	if strings.Contains(v, "\x1b") {
		t.Fatalf("NO_COLOR view has escape sequences: %q", v)
	}
	mustContain(t, v, "web   | red text", "> crash")

	c := model(t, true, 100, 30)
	c = send(c, BatchMsg{Lines: []feed.LogLine{{Service: "web", Text: "\x1b[31mred\x1b[0m text\x1b[2J\x1b]0;title\x07"}}})
	cv := c.View()
	mustContain(t, cv, "\x1b[31mred\x1b[0m text")
	if strings.Contains(cv, "\x1b[2J") || strings.Contains(cv, "title") {
		t.Fatalf("a service's cursor or title sequences reached the terminal: %q", cv)
	}
}

func TestTooSmall(t *testing.T) {
	m := model(t, false, 50, 10)
	mustContain(t, m.View(), "too small", "50x10", "60x12")
	m = send(m, tea.WindowSizeMsg{Width: 60, Height: 12})
	checkFrame(t, m.View(), 60, 12)
}

func TestResizes(t *testing.T) {
	m := model(t, true, 80, 24)
	for _, s := range [][2]int{{60, 12}, {81, 25}, {200, 60}, {79, 23}, {61, 13}} {
		m = send(m, tea.WindowSizeMsg{Width: s[0], Height: s[1]})
		checkFrame(t, m.View(), s[0], s[1])
	}
}

func TestConnectionLost(t *testing.T) {
	m := model(t, false, 100, 30)
	m = send(m, BatchMsg{Conn: &feed.ConnState{Err: "engine connection lost: EOF"}})
	mustContain(t, m.View(), "ENGINE CONNECTION LOST, reconnecting")
	m = send(m, BatchMsg{Conn: &feed.ConnState{Connected: true}})
	if strings.Contains(m.View(), "LOST") {
		t.Fatal("still says lost after reconnecting")
	}
}

func TestLiveStateUpdates(t *testing.T) {
	m := model(t, false, 100, 30)
	st := stack()[0]
	st.State, st.ExitCode, st.Health, st.IPs, st.Ports = "exited", 137, "unhealthy", nil, nil
	m = send(m, BatchMsg{States: []feed.ContainerState{st},
		Events: []feed.Event{{Time: t0, Service: "web", Text: "web exited with code 137"}}})
	v := m.View()
	mustContain(t, v, "exited (137)", "1/3 running", "web exited with code 137")
	if strings.Contains(v, "unhealthy") {
		t.Error("a stopped container's stale health is shown")
	}
	m = send(m, BatchMsg{States: []feed.ContainerState{{ID: "c1", Service: "crash", Removed: true}}})
	if strings.Contains(m.View(), "crash ") {
		t.Error("removed container still listed")
	}
}

func TestKeysQuitAndStop(t *testing.T) {
	m := model(t, false, 100, 30)
	next, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	if cmd == nil || next.(Model).StopStack() {
		t.Fatal("q should quit and leave the stack running")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("q did not quit")
	}
	next, cmd = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("X")})
	if cmd == nil || !next.(Model).StopStack() {
		t.Fatal("X should quit and stop the stack")
	}
}

func TestActionRequests(t *testing.T) {
	reqs := make(chan Request, 4)
	m := New(Options{Project: "p", Requests: reqs, Now: func() time.Time { return t0 }})
	m = send(m, tea.WindowSizeMsg{Width: 100, Height: 30}, BatchMsg{Full: true, States: stack()})
	m = keys(m, "down") // crash, db, web: db
	for _, k := range []string{"r", "s"} {
		_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
		cmd()
	}
	if r := <-reqs; r != (Request{Verb: "restart", Service: "db"}) {
		t.Errorf("r asked for %+v", r)
	}
	if r := <-reqs; r != (Request{Verb: "stop", Service: "db"}) {
		t.Errorf("s asked for %+v", r)
	}
	m = send(m, DoneMsg{Request: Request{Verb: "restart", Service: "db"}})
	mustContain(t, m.View(), "restart db: done")
}

func TestScopeSearchFilter(t *testing.T) {
	m := model(t, false, 100, 30)
	m = keys(m, "down", "enter") // db only
	v := m.View()
	mustContain(t, v, "logs: db", "db line 29")
	if strings.Contains(v, "web line") {
		t.Error("db's logs show web lines")
	}
	m = keys(m, "enter", "/", "L", "I", "N", "E", " ", "1", "enter")
	v = m.View()
	mustContain(t, v, `search "line 1"`, "db    | »db [line 1]9", "web   | web [line 1]8") // newest match marked; ASCII case-insensitive
	m = keys(m, "n")
	mustContain(t, m.View(), "web   | »web [line 1]8", "db    | db [line 1]9")
	m = keys(m, "N")
	mustContain(t, m.View(), "db    | »db [line 1]9")
	m = keys(m, "esc", "f", "l", "i", "n", "e", " ", "2", "enter")
	v = m.View()
	mustContain(t, v, `filter "line 2": 11 lines`, "web line 2", "db line 29")
	if strings.Contains(v, "line 1") {
		t.Error("filter shows non-matching lines")
	}
	m = send(m, BatchMsg{Lines: []feed.LogLine{{Service: "web", Text: "later line 2x"}, {Service: "web", Text: "hidden"}}})
	mustContain(t, m.View(), "filter \"line 2\": 12 lines", "later line 2x")
	m = keys(m, "f")
	m = send(m, tea.KeyMsg{Type: tea.KeyCtrlU})
	m = keys(m, "enter")
	mustContain(t, m.View(), "hidden")
}

func TestScrollStaysPut(t *testing.T) {
	m := model(t, false, 80, 24)
	m = keys(m, "pgup")
	before := m.View()
	mustContain(t, before, "scrolled back")
	var more []feed.LogLine
	for i := 0; i < 5; i++ {
		more = append(more, feed.LogLine{Service: "web", Text: fmt.Sprintf("new %d", i)})
	}
	m = send(m, BatchMsg{Lines: more})
	after := m.View()
	if logsPart(before) != logsPart(after) {
		t.Errorf("new lines moved a scrolled-back view:\n%s\n---\n%s", before, after)
	}
	m = keys(m, "end")
	mustContain(t, m.View(), "following", "web   | new 4")
	m = keys(m, "home") // oldest lines fill the pane
	lines := strings.Split(m.View(), "\n")
	if !strings.Contains(lines[7], "web line 0") || !strings.Contains(lines[22], "db line 15") {
		t.Errorf("home should fill the pane from the oldest line:\n%s", m.View())
	}
}

// logsPart is the frame between the log bar and the status line.
func logsPart(v string) string {
	_, rest, _ := strings.Cut(v, "── logs")
	rest = rest[strings.Index(rest, "\n"):]
	return rest[:strings.LastIndex(rest, "\n")]
}

func TestWrapAndTimestamps(t *testing.T) {
	m := model(t, false, 60, 20)
	long := strings.Repeat("x", 150) + "END"
	m = send(m, BatchMsg{Lines: []feed.LogLine{{Service: "web", Time: t0, Text: long}}})
	if strings.Contains(m.View(), "END") {
		t.Error("unwrapped long line was not cut")
	}
	m = keys(m, "w", "t")
	v := m.View()
	checkFrame(t, v, 60, 20)
	mustContain(t, v, "END", "wrap", "timestamps", t0.Local().Format("15:04:05.000"))
}

func TestHelp(t *testing.T) {
	m := keys(model(t, false, 80, 24), "?")
	checkFrame(t, m.View(), 80, 24)
	mustContain(t, m.View(), "stop the whole stack and quit", "shell in it (sh)", "Any key closes this help.")
	m = keys(m, "x")
	if strings.Contains(m.View(), "Any key closes") {
		t.Error("help did not close")
	}
}

// TestViewCostIndependentOfBuffer counts the log lines a frame reads: the
// pane's height, whether 30 or 100 000 lines are buffered.
func TestViewCostIndependentOfBuffer(t *testing.T) {
	m := model(t, false, 120, 40)
	m = send(m, BatchMsg{Lines: make([]feed.LogLine, 100)})
	_ = m.View()
	small := m.logs.visits
	var batch []feed.LogLine
	for i := 0; i < 100000; i++ {
		batch = append(batch, feed.LogLine{Service: []string{"web", "db", "crash"}[i%3], Text: fmt.Sprintf("line %d", i)})
		if len(batch) == 4096 {
			m = send(m, BatchMsg{Lines: batch})
			batch = nil
		}
	}
	m = send(m, BatchMsg{Lines: batch})
	_ = m.View()
	if m.logs.visits != small || small > m.logHeight() {
		t.Fatalf("a frame read %d lines with 30 buffered, %d with 100000 (pane height %d)", small, m.logs.visits, m.logHeight())
	}
	m = keys(m, "f", "9", "9", "9", "enter") // sparse filter: still a window's worth
	_ = m.View()
	if m.logs.visits > m.logHeight() {
		t.Fatalf("filtered frame read %d lines", m.logs.visits)
	}
}

// A full state set listing a container twice (an update raced the
// snapshot) gives one row.
func TestFullStatesDeduplicated(t *testing.T) {
	m := model(t, false, 100, 30)
	st := stack()
	again := st[2]
	again.State = "running"
	m = send(m, BatchMsg{Full: true, States: append(st, again)})
	if n := strings.Count(m.View(), "crash "); n != 1 {
		t.Fatalf("crash listed %d times:\n%s", n, m.View())
	}
	mustContain(t, m.View(), "3/3 running")
}

// Keys typed faster than the terminal is read arrive as one message.
func TestRunOfKeys(t *testing.T) {
	m := model(t, false, 100, 30)
	m = send(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("j/line 1")}, tea.KeyMsg{Type: tea.KeyEnter})
	mustContain(t, m.View(), `search "line 1"`, "> db ")
}

func TestOpenCopyRecreate(t *testing.T) {
	reqs := make(chan Request, 1)
	var opened, copied string
	m := New(Options{Project: "p", Requests: reqs, Now: func() time.Time { return t0 },
		Open: func(url string) error { opened = url; return nil },
		Copy: func(text string) error { copied = text; return nil }})
	m = send(m, tea.WindowSizeMsg{Width: 100, Height: 30}, BatchMsg{Full: true, States: stack()},
		BatchMsg{Lines: []feed.LogLine{{Service: "web", Number: 1, Text: "\x1b[32mgreen\x1b[0m one"}, {Service: "db", Number: 1, Text: "two"}}})
	m = keys(m, "down", "down") // web
	run := func(k string) {
		_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
		m = send(m, cmd())
	}
	run("o")
	if opened != "http://127.0.0.1:8080" {
		t.Errorf("opened %q", opened)
	}
	mustContain(t, m.View(), "opened http://127.0.0.1:8080")
	run("y")
	if copied != "web | green one\ndb | two\n" {
		t.Errorf("copied %q", copied)
	}
	mustContain(t, m.View(), "copied 2 lines")
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("c")})
	cmd()
	if r := <-reqs; r != (Request{Verb: "recreate", Service: "web"}) {
		t.Errorf("c asked for %+v", r)
	}
	m = keys(m, "up") // db: no ports
	run("o")
	mustContain(t, m.View(), "db publishes no port")
}

// With the router, each service's https name comes first in PORTS, and o
// opens it.
func TestRouterURLs(t *testing.T) {
	var opened string
	m := New(Options{Project: "p", Now: func() time.Time { return t0 },
		Open: func(url string) error { opened = url; return nil },
		URLs: map[string][]string{"web": {"https://web.p.localhost"}, "db": {"https://db.p.localhost:10443", "https://x\x1b[2J.localhost"}}})
	m = send(m, tea.WindowSizeMsg{Width: 140, Height: 30}, BatchMsg{Full: true, States: stack()})
	mustContain(t, m.View(), "https://web.p.localhost http://127.0.0.1:8080", "https://db.p.localhost:10443")
	if strings.Contains(m.View(), "\x1b[2J") {
		t.Error("a URL with a control character reached the screen")
	}
	run := func(k string) {
		_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
		m = send(m, cmd())
	}
	m = keys(m, "down", "down") // web
	run("o")
	if opened != "https://web.p.localhost" {
		t.Errorf("web: opened %q", opened)
	}
	m = keys(m, "up") // db: no published port, a router name
	run("o")
	if opened != "https://db.p.localhost:10443" {
		t.Errorf("db: opened %q", opened)
	}
}

func TestMouseWheelScrolls(t *testing.T) {
	m := model(t, false, 80, 24)
	m = send(m, tea.MouseMsg{Button: tea.MouseButtonWheelUp, Action: tea.MouseActionPress})
	mustContain(t, m.View(), "scrolled back, 3 newer lines below")
	m = send(m, tea.MouseMsg{Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	mustContain(t, m.View(), "following")
}
