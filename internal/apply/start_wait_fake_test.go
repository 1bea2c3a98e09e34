package apply

import (
	"context"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/progress"
)

// start, as up, starts web only once db is healthy again, and says why it
// waits meanwhile.
func TestStartWaitsForHealthy(t *testing.T) {
	s := newFakeStack(t)
	s.api.HealthOnStart("demo-db-1", container.Healthy)
	s.mustUp(healthyDep, UpOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := containers.Stop(ctx, s.api, "demo", nil, nil, s.out); err != nil {
		t.Fatal(err)
	}
	s.api.HealthOnStart("demo-db-1", container.Starting) // the first probe after start has not passed yet
	done := make(chan error, 1)
	go func() {
		wait := DependencyWaiter(ctx, s.api, logs.NewMonitor(s.api, "demo"), s.out)
		done <- containers.Start(ctx, s.api, "demo", nil, wait, s.out)
	}()
	eventually(t, "web waits for db, saying why", func() bool { return s.out.saw(progress.KindWait, "web -> demo-db-1", progress.WaitWaiting) })
	s.wantStates("demo-db-1 running", "demo-web-1 exited")
	if err := s.api.SetHealth("demo-db-1", container.Healthy, "ok"); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	s.wantStates("demo-db-1 running", "demo-web-1 running")
}

const restartDeps = `
services:
  db:
    image: postgres:16
    healthcheck: {test: [CMD, pg_isready], interval: 1s}
  web:
    image: nginx:1.27
    depends_on: {db: {condition: service_healthy, restart: true}}
  cache:
    image: busybox:1.36
    depends_on: {db: {condition: service_healthy}}
`

// restart, as compose's, restarts a dependent once the dependencies it
// restarts with (depends_on restart: true) meet their conditions again,
// and says why it waits meanwhile; a dependency without restart: true
// holds nothing.
func TestRestartWaitsForHealthy(t *testing.T) {
	s := newFakeStack(t)
	s.api.HealthOnStart("demo-db-1", container.Healthy)
	s.mustUp(restartDeps, UpOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s.api.HealthOnStart("demo-db-1", container.Starting) // the first probe after the restart has not passed yet
	done := make(chan error, 1)
	go func() {
		wait := DependencyWaiter(ctx, s.api, logs.NewMonitor(s.api, "demo"), s.out)
		done <- containers.Restart(ctx, s.api, "demo", containers.RestartOptions{Wait: wait}, s.out)
	}()
	eventually(t, "web waits for db, saying why", func() bool { return s.out.saw(progress.KindWait, "web -> demo-db-1", progress.WaitWaiting) })
	eventually(t, "cache restarted without waiting", func() bool { return s.out.saw(progress.KindContainer, "demo-cache-1", "Restarted") })
	if s.out.saw(progress.KindContainer, "demo-web-1", "Restarted") {
		t.Fatal("web restarted before db was healthy again")
	}
	if err := s.api.SetHealth("demo-db-1", container.Healthy, "ok"); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !s.out.saw(progress.KindContainer, "demo-web-1", "Restarted") {
		t.Fatal("web was not restarted")
	}
}
