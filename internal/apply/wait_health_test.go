package apply

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/plan"
)

func TestHealthBound(t *testing.T) {
	for _, tc := range []struct {
		name string
		h    *container.HealthConfig
		want time.Duration
	}{
		{"engine defaults", &container.HealthConfig{Test: []string{"CMD", "true"}}, 95 * time.Second},
		{"start period, interval, retries", &container.HealthConfig{StartPeriod: 10 * time.Second, Interval: 2 * time.Second, Retries: 5}, 25 * time.Second},
		{"no healthcheck", nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := HealthBound(tc.h); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// healthWait starts WaitFor(service_healthy) on db, on a fake clock.
func healthWait(t *testing.T, api *dockerapi.FakeClient, db plan.Container, now func() time.Time, after func(time.Duration) <-chan time.Time) <-chan error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	w := Watch(ctx, logs.NewMonitor(api, "p"))
	w.now, w.after = now, after
	done := make(chan error, 1)
	go func() {
		done <- WaitFor(ctx, api, w, Wait{Container: db, Condition: "service_healthy"})
	}()
	return done
}

// silentHealthEngine runs p-db-1 with a healthcheck the engine has run no
// probe of yet; started is when it started.
func silentHealthEngine(t *testing.T) (api *dockerapi.FakeClient, db plan.Container, started time.Time) {
	t.Helper()
	api = dockerapi.NewFakeClient()
	api.AddImage("postgres:16", nil)
	ctx := context.Background()
	labels := map[string]string{convert.LabelProject: "p", convert.LabelService: "db", convert.LabelNumber: "1"}
	cfg := &container.Config{Image: "postgres:16", Labels: labels, Healthcheck: &container.HealthConfig{Test: []string{"CMD", "true"}}}
	c, err := api.ContainerCreate(ctx, cfg, nil, nil, nil, "p-db-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := api.ContainerStart(ctx, c.ID, container.StartOptions{}); err != nil {
		t.Fatal(err)
	}
	st, err := api.ContainerInspect(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	started, err = time.Parse(time.RFC3339Nano, st.State.StartedAt)
	if err != nil {
		t.Fatal(err)
	}
	return api, plan.Container{ID: c.ID, Name: "p-db-1", Service: "db"}, started
}

// An engine that never reports a probe fails the wait once the bound (95 s
// for the defaults) is over, with a sentence; the test does not sleep it.
func TestWaitForHealthNeverRan(t *testing.T) {
	api, db, started := silentHealthEngine(t)
	var clock, asked atomic.Int64
	clock.Store(int64(10 * time.Second))
	fire := make(chan time.Time)
	done := healthWait(t, api, db, func() time.Time { return started.Add(time.Duration(clock.Load())) },
		func(d time.Duration) <-chan time.Time { asked.Store(int64(d)); return fire })
	select {
	case err := <-done:
		t.Fatalf("returned %v before the bound", err)
	case <-time.After(100 * time.Millisecond):
	}
	clock.Store(int64(96 * time.Second))
	fire <- time.Time{}
	err := <-done
	if got := time.Duration(asked.Load()); got != 85*time.Second {
		t.Errorf("timer asked for %s, want the 85s left of 95s", got)
	}
	if !errors.Is(err, ErrHealthNeverRan) || !strings.Contains(err.Error(), "db has a healthcheck but the engine has run none in 1m35s (Podman runs healthchecks only with systemd timers)") {
		t.Fatalf("error %v", err)
	}
}

// A probe result, even a failing one during the start period, means the
// engine runs healthchecks: no bound then.
func TestWaitForHealthRanNoBound(t *testing.T) {
	api, db, started := silentHealthEngine(t)
	if err := api.SetHealth(db.Name, container.Starting, "not yet"); err != nil { // a failing probe in the start period
		t.Fatal(err)
	}
	done := healthWait(t, api, db, func() time.Time { return started.Add(time.Hour) }, func(time.Duration) <-chan time.Time {
		t.Error("timer armed although the engine ran a probe")
		return nil
	})
	endsWhenHealthy(t, api, db.Name, done)
}

func TestUnsettled(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	st := func(policy container.RestartPolicyMode) container.InspectResponse {
		return container.InspectResponse{ContainerJSONBase: &container.ContainerJSONBase{
			State:      &container.State{Running: true, StartedAt: t0.Format(time.RFC3339Nano)},
			HostConfig: &container.HostConfig{RestartPolicy: container.RestartPolicy{Name: policy}},
		}}
	}
	for _, tc := range []struct {
		name   string
		policy container.RestartPolicyMode
		now    time.Duration
		want   time.Duration
	}{
		{"no policy", "", 0, 0},
		{"policy no", container.RestartPolicyDisabled, 0, 0},
		{"always, just started", container.RestartPolicyAlways, 500 * time.Millisecond, 1500 * time.Millisecond},
		{"on-failure, settled", container.RestartPolicyOnFailure, 3 * time.Second, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := unsettled(st(tc.policy), t0.Add(tc.now)); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}
