package cli

import (
	"bytes"
	"testing"
	"time"

	"github.com/devstack/devstack/internal/engine"
	"github.com/devstack/devstack/internal/feed"
	"github.com/devstack/devstack/internal/progress"
)

// Lines get a `name |` prefix padded to the widest selected container,
// replicas their number, and exits a line of their own.
func TestLogPrinter(t *testing.T) {
	var buf bytes.Buffer
	p := &logPrinter{w: &buf, timestamps: true}
	p.Begin([]engine.Container{{Service: "web", Number: 1}, {Service: "worker", Number: 2}})
	at := time.Date(2026, 1, 2, 10, 0, 0, 5000, time.UTC)
	p.Line(engine.LogLine{Service: "web", Number: 1, Time: at, Text: "ready"})
	p.Line(engine.LogLine{Service: "worker", Number: 2, Time: at, Text: "tick"})
	p.Exited(engine.ContainerEvent{Service: "worker", Number: 2, ExitCode: "3"})
	want := "web      | 2026-01-02T10:00:00.000005000Z ready\n" +
		"worker-2 | 2026-01-02T10:00:00.000005000Z tick\n" +
		"worker-2 exited with code 3\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

// The dashboard gets watch's reloads as events with their service, read
// from the event's fields; progress updates are not events.
func TestDashProgress(t *testing.T) {
	out := make(chan feed.Batch, 4)
	d := dashProgress{done: make(chan struct{}), out: out}
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
