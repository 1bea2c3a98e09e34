package apply

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/events"

	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/plan"
)

// A wait re-inspects at each event: it ends when the container turns
// healthy, not before.
func TestWaitForHealthyAfterEvent(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	api := newFakeEngine()
	api.add("db1", "db", "running", "")
	api.set("db1", func(s *container.State) { s.Health = &container.Health{Status: container.Starting} })
	mon := logs.NewMonitor(api, "p")
	done := make(chan error, 1)
	go func() {
		done <- WaitFor(ctx, api, Watch(ctx, mon), plan.Container{ID: "db1", Name: "p-db-1", Service: "db"}, "service_healthy")
	}()
	select {
	case err := <-done:
		t.Fatalf("returned %v while starting", err)
	case <-time.After(100 * time.Millisecond):
	}
	api.set("db1", func(s *container.State) { s.Health = &container.Health{Status: container.Healthy} })
	api.msgs <- msg("db1", "db", "health_status: healthy")
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// A dependency that exits fails the wait at once, with its last log lines.
func TestWaitForExitFails(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	api := newFakeEngine()
	api.add("db1", "db", "running", "2026-01-02T10:00:00.000000000Z cannot open datadir\n")
	api.set("db1", func(s *container.State) { s.Health = &container.Health{Status: container.Starting} })
	mon := logs.NewMonitor(api, "p")
	done := make(chan error, 1)
	go func() {
		done <- WaitFor(ctx, api, Watch(ctx, mon), plan.Container{ID: "db1", Name: "p-db-1", Service: "db"}, "service_healthy")
	}()
	time.Sleep(50 * time.Millisecond)
	api.set("db1", func(s *container.State) { s.Running, s.Status, s.ExitCode = false, "exited", 1 })
	api.msgs <- msg("db1", "db", events.ActionDie)
	err := <-done
	if !errors.Is(err, ErrDependencyFailed) || !strings.Contains(err.Error(), "exited with code 1") || !strings.Contains(err.Error(), "cannot open datadir") {
		t.Fatalf("error %v", err)
	}
}

// recordSink keeps what a LogFollower hands on.
type recordSink struct {
	mu     sync.Mutex
	begin  []plan.Container
	lines  []logs.Line
	exited []logs.ContainerEvent
}

func (r *recordSink) Begin(cs []plan.Container) { r.mu.Lock(); r.begin = cs; r.mu.Unlock() }
func (r *recordSink) Line(l logs.Line)          { r.mu.Lock(); r.lines = append(r.lines, l); r.mu.Unlock() }
func (r *recordSink) Exited(e logs.ContainerEvent) {
	r.mu.Lock()
	r.exited = append(r.exited, e)
	r.mu.Unlock()
}

// Not following: every selected container's lines, split, with the
// engine's timestamps read off, and a last line without a newline.
func TestLogFollowerReads(t *testing.T) {
	api := newFakeEngine()
	api.add("w1", "web", "running", "2026-01-02T10:00:00.000000001Z ready\r\n2026-01-02T10:00:01Z last")
	api.add("d1", "db", "exited", "2026-01-02T09:00:00Z db line\n")
	var sink recordSink
	err := logs.NewFollower(api, logs.NewMonitor(api, "p"), "p", logs.FollowOptions{Services: []string{"web"}}).Run(context.Background(), &sink)
	if err != nil {
		t.Fatal(err)
	}
	if len(sink.begin) != 1 || sink.begin[0].Service != "web" {
		t.Fatalf("selected %+v", sink.begin)
	}
	if len(sink.lines) != 2 || sink.lines[0].Text != "ready" || sink.lines[1].Text != "last" || sink.lines[0].Time.Nanosecond() != 1 {
		t.Fatalf("lines %+v", sink.lines)
	}
	if api.calls != 0 {
		t.Error("not following subscribed to events")
	}
}

// Following with UntilStopped: the exit is reported and following ends
// once nothing selected runs.
func TestLogFollowerUntilStopped(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	api := newFakeEngine()
	api.add("w1", "web", "running", "2026-01-02T10:00:00Z hello\n")
	var sink recordSink
	done := make(chan error, 1)
	go func() {
		done <- logs.NewFollower(api, logs.NewMonitor(api, "p"), "p", logs.FollowOptions{Follow: true, UntilStopped: true}).Run(ctx, &sink)
	}()
	time.Sleep(100 * time.Millisecond)
	api.set("w1", func(s *container.State) { s.Running, s.Status = false, "exited" })
	m := msg("w1", "web", events.ActionDie)
	m.Actor.Attributes["exitCode"] = "3"
	api.msgs <- m
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(sink.exited) != 1 || sink.exited[0].ExitCode != "3" || sink.exited[0].Service != "web" {
		t.Fatalf("exits %+v", sink.exited)
	}
	if len(sink.lines) != 1 || sink.lines[0].Text != "hello" {
		t.Fatalf("lines %+v", sink.lines)
	}
}
