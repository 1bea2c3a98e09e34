package apply

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/progress"
)

func TestWaitReason(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 11, 0, 0, 0, time.UTC)
	running := func(mod func(*container.InspectResponse)) container.InspectResponse {
		st := container.InspectResponse{
			ContainerJSONBase: &container.ContainerJSONBase{State: &container.State{Status: "running", Running: true, StartedAt: t0.Format(time.RFC3339Nano)}},
			Config:            &container.Config{},
		}
		mod(&st)
		return st
	}
	health := func(hc container.HealthConfig, log ...*container.HealthcheckResult) func(*container.InspectResponse) {
		return func(st *container.InspectResponse) {
			st.Config.Healthcheck = &hc
			st.State.Health = &container.Health{Status: container.Starting, Log: log}
			for _, l := range log {
				if l.ExitCode != 0 {
					st.State.Health.FailingStreak++
				}
			}
		}
	}
	for _, tc := range []struct {
		name      string
		st        container.InspectResponse
		condition string
		api       string // "": the newest
		now       time.Duration
		want      string
	}{
		{"health never ran, 1h interval", running(health(container.HealthConfig{Interval: time.Hour})), "service_healthy", "", 10 * time.Second,
			"web waits for db to be healthy: db's health check has not run yet (interval 1h0m0s, first check about 12:00)"},
		{"health never ran, start interval", running(health(container.HealthConfig{Interval: time.Hour, StartPeriod: time.Minute, StartInterval: 2 * time.Second})), "service_healthy", "", 0,
			"web waits for db to be healthy: db's health check has not run yet (interval 1h0m0s, first check about 11:00)"},
		{"health never ran, start period on an engine without start_interval", running(health(container.HealthConfig{Interval: time.Hour, StartPeriod: time.Minute})), "service_healthy", "1.41", 0,
			"web waits for db to be healthy: db's health check has not run yet (interval 1h0m0s, first check about 12:00)"},
		{"failing check", running(health(container.HealthConfig{Interval: time.Second, Retries: 5},
			&container.HealthcheckResult{End: t0.Add(time.Second), ExitCode: 1, Output: "refused\n"},
			&container.HealthcheckResult{End: t0.Add(2 * time.Second), ExitCode: 1, Output: "connection refused\n"})), "service_healthy", "", 5 * time.Second,
			"web waits for db to be healthy: last check 3s ago exited 1: connection refused (2 of 5 retries)"},
		{"failing check whose output holds escape sequences", running(health(container.HealthConfig{Interval: time.Second, Retries: 5},
			&container.HealthcheckResult{End: t0.Add(2 * time.Second), ExitCode: 1, Output: "\x1b]0;owned\x07\x1b[2Jconnection\rrefused\n"})), "service_healthy", "", 5 * time.Second,
			"web waits for db to be healthy: last check 3s ago exited 1: connectionrefused (1 of 5 retries)"},
		{"one-shot job", running(func(*container.InspectResponse) {}), "service_completed_successfully", "", 40 * time.Second,
			"web waits for db to complete successfully: db has not completed (running 40s)"},
		{"restarting", running(func(st *container.InspectResponse) {
			st.State.Restarting, st.State.ExitCode, st.RestartCount = true, 1, 3
		}), "service_started", "", 0, "web waits for db to start: db is restarting (exit 1, 3 restarts)"},
		{"created", running(func(st *container.InspectResponse) { st.State.Running, st.State.Status = false, "created" }), "service_healthy", "", 0,
			"web waits for db to be healthy: db is created"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := waitReason(tc.st, tc.condition, tc.api, t0.Add(tc.now))
			r.Service, r.Dependency = "web", "db"
			r.FirstCheck = r.FirstCheck.UTC()
			if got := r.Sentence(); got != tc.want {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// A wait says why at once, again on the ticker while nothing changes, at
// with the check's new result, and ends its line when done.
func TestWaitForSaysWhy(t *testing.T) {
	api, db, _ := silentHealthEngine(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	w := Watch(ctx, logs.NewMonitor(api, "p"))
	tick := make(chan time.Time)
	w.tick = func(d time.Duration) <-chan time.Time {
		if d != resayEvery {
			t.Errorf("re-say after %s", d)
		}
		return tick
	}
	rec := &recorder{}
	done := make(chan error, 1)
	go func() {
		done <- WaitFor(ctx, api, w, Wait{Service: "web", Container: db, Condition: "service_healthy", Out: rec})
	}()
	waits := func() []string {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		var out []string
		for _, e := range rec.events {
			if e.Kind == progress.KindWait {
				out = append(out, e.Status+" "+e.String())
			}
		}
		return out
	}
	eventually(t, "the first reason", func() bool { return len(waits()) == 1 })
	if got := waits()[0]; !strings.HasPrefix(got, "Waiting web waits for db to be healthy: db's health check has not run yet (interval 30s, first check about ") {
		t.Fatalf("first reason %q", got)
	}
	tick <- time.Time{}
	eventually(t, "the reason said again", func() bool { return len(waits()) == 2 })
	eventually(t, "the wait watches the engine's events", func() bool { return api.EventStreams() > 0 })
	if err := api.SetHealth(db.Name, container.Starting, "connection refused"); err != nil {
		t.Fatal(err)
	}
	tick <- time.Time{} // the engine says nothing of a probe that leaves the status as it was
	eventually(t, "the failing check said", func() bool { return len(waits()) == 3 })
	if got := waits()[2]; !strings.Contains(got, "last check 0s ago exited 1: connection refused (1 of 3 retries)") {
		t.Fatalf("reason %q", got)
	}
	if err := api.SetHealth(db.Name, container.Healthy, ""); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := waits(); len(got) != 4 || got[3] != "Done " {
		t.Fatalf("waits %q", got)
	}
}

// A reason is said once however often the wait wakes to find it so (the
// die and start events of one restart), again only when the ticker says.
func TestSayerSaysOnce(t *testing.T) {
	rec := &recorder{}
	s := &sayer{out: rec, name: "web -> p-db-1", service: "web", dep: "db", ticker: func(time.Duration) <-chan time.Time { return nil }}
	r := progress.WaitReason{Condition: "healthy", State: progress.WaitRestarting, ExitCode: 3, Restarts: 2}
	s.say(r, false)
	r.Running = time.Second // only the time passed differs
	s.say(r, false)
	s.say(r, true)
	r.Restarts = 3
	s.say(r, false)
	var got []string
	for _, e := range rec.events {
		got = append(got, e.String())
	}
	want := []string{
		"web waits for db to be healthy: db is restarting (exit 3, 2 restarts)",
		"web waits for db to be healthy: db is restarting (exit 3, 2 restarts)",
		"web waits for db to be healthy: db is restarting (exit 3, 3 restarts)",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("said %q\nwant %q", got, want)
	}
}
