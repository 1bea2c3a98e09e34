package apply

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/devstack/devstack/internal/progress"
	"github.com/docker/docker/api/types/container"
)

const healthyDep = `
services:
  db:
    image: postgres:16
    healthcheck: {test: [CMD, pg_isready], interval: 1s}
  web:
    image: nginx:1.27
    depends_on: {db: {condition: service_healthy}}
`

// web starts only once db turns healthy: until then it is created and
// waits, saying why; the engine's health_status event ends the wait.
func TestUpWaitsForHealthy(t *testing.T) {
	s := newFakeStack(t)
	done := make(chan error, 1)
	go func() {
		_, err := s.up(healthyDep, UpOptions{})
		done <- err
	}()
	eventually(t, "db runs and up watches the engine's events", func() bool {
		return s.api.EventStreams() > 0 && s.containers()["demo-db-1"].State == "running"
	})
	select {
	case err := <-done:
		t.Fatalf("up returned %v before db was healthy", err)
	case <-time.After(50 * time.Millisecond):
	}
	s.wantStates("demo-db-1 running", "demo-web-1 created")
	if err := s.api.SetHealth("demo-db-1", container.Healthy, "accepting connections"); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	s.wantStates("demo-db-1 running", "demo-web-1 running")
	if !s.out.saw(progress.KindContainer, "demo-db-1", "Healthy") {
		t.Errorf("progress %v", s.out.events)
	}
	if !s.out.saw(progress.KindWait, "web -> demo-db-1", progress.WaitWaiting) || !s.out.saw(progress.KindWait, "web -> demo-db-1", progress.WaitDone) {
		t.Errorf("up did not say why web waited: %v", s.out.events)
	}
}

// A dependency that turns unhealthy fails up, with the probe's output,
// and its dependent is never started.
func TestUpDependencyUnhealthy(t *testing.T) {
	t.Parallel() // a failed dependency makes up watch the engine for 3s
	s := newFakeStack(t)
	s.api.HealthOnStart("demo-db-1", container.Unhealthy)
	_, err := s.up(healthyDep, UpOptions{})
	if !errors.Is(err, ErrDependencyFailed) || !strings.Contains(err.Error(), "service web depends on db") || !strings.Contains(err.Error(), "is unhealthy") {
		t.Fatalf("error %v", err)
	}
	s.wantStates("demo-db-1 running", "demo-web-1 created")
}

const migrateDep = `
services:
  migrate: {image: busybox:1.36}
  web:
    image: nginx:1.27
    depends_on: {migrate: {condition: service_completed_successfully}}
`

// A one-shot dependency that exits 0 lets its dependent start; one that
// fails stops up with its exit code and last log lines.
func TestUpWaitsForCompletion(t *testing.T) {
	t.Parallel() // a failed dependency makes up watch the engine for 3s
	s := newFakeStack(t)
	s.api.ExitOnStart("demo-migrate-1", 0)
	s.mustUp(migrateDep, UpOptions{})
	s.wantStates("demo-migrate-1 exited", "demo-web-1 running")
	if !s.out.saw(progress.KindContainer, "demo-migrate-1", "Exited (0)") {
		t.Errorf("progress %v", s.out.events)
	}

	s = newFakeStack(t)
	s.api.ExitOnStart("demo-migrate-1", 2, "relation users already exists")
	_, err := s.up(migrateDep, UpOptions{})
	if !errors.Is(err, ErrDependencyFailed) || !strings.Contains(err.Error(), "exited with code 2") || !strings.Contains(err.Error(), "| relation users already exists") {
		t.Fatalf("error %v", err)
	}
	s.wantStates("demo-migrate-1 exited", "demo-web-1 created")
}

// up --wait returns once every service runs, and is healthy where it has
// a healthcheck; a service that exits fails it.
func TestUpWait(t *testing.T) {
	t.Parallel() // a failed dependency makes up watch the engine for 3s
	s := newFakeStack(t)
	s.api.HealthOnStart("demo-db-1", container.Healthy)
	s.mustUp(healthyDep, UpOptions{Wait: true, WaitTimeout: 10 * time.Second})
	s.wantStates("demo-db-1 running", "demo-web-1 running")

	s = newFakeStack(t)
	s.api.ExitOnStart("demo-web-1", 1)
	_, err := s.up("services: {web: {image: nginx:1.27}}", UpOptions{Wait: true})
	if !errors.Is(err, ErrDependencyFailed) || !strings.Contains(err.Error(), "exited with code 1") {
		t.Fatalf("error %v", err)
	}
}

// up --wait with a timeout gives up, saying what it waited for.
func TestUpWaitTimeout(t *testing.T) {
	s := newFakeStack(t)
	_, err := s.up("services: {db: {image: postgres:16, healthcheck: {test: [CMD, pg_isready]}}}", UpOptions{Wait: true, WaitTimeout: 200 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "not running and healthy after 200ms") || !strings.Contains(err.Error(), "not yet healthy (health: starting)") {
		t.Fatalf("error %v", err)
	}
}
