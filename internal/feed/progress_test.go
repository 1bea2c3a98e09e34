package feed

import (
	"testing"

	"github.com/devstack/devstack/internal/progress"
)

// The dashboard gets watch's reloads as events with their service, read
// from the event's fields; progress updates are not events.
func TestProgress(t *testing.T) {
	out := make(chan Batch, 4)
	d := Progress{Done: make(chan struct{}), Out: out}
	d.Event(progress.Event{Kind: progress.KindReload, Name: "web", Status: "sync", Detail: "1 file (a) in 3ms"})
	d.Event(progress.Event{Kind: progress.KindImage, Name: "x", Status: "Pulling", Detail: "1kB/2kB", Update: true})
	d.Event(progress.Event{Kind: progress.KindWatch, Detail: "watching web (site sync)"})
	if len(out) != 2 {
		t.Fatalf("%d batches, want 2", len(out))
	}
	ev := (<-out).Events[0]
	if ev.Service != "web" || ev.Text != "watch: web sync 1 file (a) in 3ms" {
		t.Errorf("reload event %+v", ev)
	}
	if ev := (<-out).Events[0]; ev.Service != "" || ev.Text != "watch: watching web (site sync)" {
		t.Errorf("watch event %+v", ev)
	}
}

// A watched service's state reaches the dashboard as typed state, not as
// an event line.
func TestProgressWatchState(t *testing.T) {
	out := make(chan Batch, 2)
	d := Progress{Done: make(chan struct{}), Out: out}
	d.Event(progress.WatchStateEvent("web", progress.WatchState{State: progress.WatchSyncing, Files: 3}))
	b := <-out
	if len(b.Events) != 0 || len(b.Watch) != 1 || b.Watch[0].Service != "web" || b.Watch[0].State != "syncing" || b.Watch[0].Files != 3 {
		t.Errorf("batch %+v", b)
	}
}
