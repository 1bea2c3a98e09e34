package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/devstack/devstack/internal/feed"
	"github.com/devstack/devstack/internal/progress"
)

// Each watched service shows its watch state, from typed states; the
// title says a watcher runs.
func TestWatchColumnAndMarker(t *testing.T) {
	m := model(t, false, 140, 30)
	if v := m.View(); strings.Contains(v, "WATCH") || strings.Contains(v, "watching") {
		t.Fatalf("no watch yet, no WATCH column or marker:\n%s", v)
	}
	pid := "watching (pid 42)"
	m = send(m, BatchMsg{Watcher: &pid, Watch: []feed.ServiceWatch{
		{Service: "web", WatchState: progress.WatchState{State: progress.WatchSyncing, Files: 3}},
		{Service: "db", WatchState: progress.WatchState{State: progress.WatchWatching, LastSync: t0.Add(-12 * time.Second), Action: "sync"}},
		{Service: "crash", WatchState: progress.WatchState{State: progress.WatchWatching, Err: "exec exited with 2"}},
	}})
	v := m.View()
	lines := strings.Split(v, "\n")
	if !strings.Contains(lines[0], "watching (pid 42)") {
		t.Errorf("title %q, want the watcher", lines[0])
	}
	for _, want := range []string{"WATCH", "syncing 3", "sync 12s ago", "failed: exec exited with 2"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	none := ""
	m = send(m, BatchMsg{Watcher: &none, Watch: []feed.ServiceWatch{{Service: "web", WatchState: progress.WatchState{State: progress.WatchStopped}}}})
	if l := strings.Split(m.View(), "\n")[0]; strings.Contains(l, "watching") {
		t.Errorf("title %q after the watcher ended", l)
	}
}
