package cli

import (
	"bytes"
	"testing"
	"time"

	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/plan"
)

// Lines get a `name |` prefix padded to the widest selected container,
// replicas their number, and exits a line of their own.
func TestLogPrinter(t *testing.T) {
	var buf bytes.Buffer
	p := &logPrinter{w: &buf, timestamps: true}
	p.Begin([]plan.Container{{Service: "web", Number: 1}, {Service: "worker", Number: 2}})
	at := time.Date(2026, 1, 2, 10, 0, 0, 5000, time.UTC)
	p.Line(logs.Line{Service: "web", Number: 1, Time: at, Text: "ready"})
	p.Line(logs.Line{Service: "worker", Number: 2, Time: at, Text: "tick"})
	p.Exited(logs.ContainerEvent{Service: "worker", Number: 2, ExitCode: "3"})
	want := "web      | 2026-01-02T10:00:00.000005000Z ready\n" +
		"worker-2 | 2026-01-02T10:00:00.000005000Z tick\n" +
		"worker-2 exited with code 3\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}
