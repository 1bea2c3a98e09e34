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
