package apply

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/logs"
)

// A wait re-inspects at each event: it ends when the container turns
// healthy, not before.
func TestWaitForHealthyAfterEvent(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	api, db, _ := silentHealthEngine(t)
	done := make(chan error, 1)
	go func() {
		done <- WaitFor(ctx, api, Watch(ctx, logs.NewMonitor(api, "p")), Wait{Container: db, Condition: "service_healthy"})
	}()
	endsWhenHealthy(t, api, db.Name, done)
}

// A dependency that exits fails the wait at once, with its last log lines.
func TestWaitForExitFails(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	api, db, _ := silentHealthEngine(t)
	if err := api.AddLogs(db.Name, "cannot open datadir"); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		done <- WaitFor(ctx, api, Watch(ctx, logs.NewMonitor(api, "p")), Wait{Container: db, Condition: "service_healthy"})
	}()
	eventually(t, "the wait watches the engine's events", func() bool { return api.EventStreams() > 0 })
	if err := api.Exit(db.Name, 1); err != nil {
		t.Fatal(err)
	}
	err := <-done
	if !errors.Is(err, ErrDependencyFailed) || !strings.Contains(err.Error(), "exited with code 1") || !strings.Contains(err.Error(), "cannot open datadir") {
		t.Fatalf("error %v", err)
	}
}

// endsWhenHealthy checks that a wait for db to be healthy (done) is still
// waiting, then makes db healthy once the wait watches the engine's events,
// and that the wait then ends without an error.
func endsWhenHealthy(t *testing.T, api *dockerapi.FakeClient, db string, done <-chan error) {
	t.Helper()
	select {
	case err := <-done:
		t.Fatalf("returned %v while starting", err)
	case <-time.After(100 * time.Millisecond):
	}
	eventually(t, "the wait watches the engine's events", func() bool { return api.EventStreams() > 0 })
	if err := api.SetHealth(db, container.Healthy, ""); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
