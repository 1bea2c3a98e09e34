package apply

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/progress"
)

// crashLoopEngine starts p-db-1 under restart: always (with a healthcheck
// when health): it exits 3 at its first failures starts, so it is
// restarting after its first restart when this returns.
func crashLoopEngine(t *testing.T, health bool, failures int) (*dockerapi.FakeClient, plan.Container) {
	t.Helper()
	api := dockerapi.NewFakeClient()
	api.AddImage("busybox:1.36", nil)
	labels := map[string]string{convert.LabelProject: "p", convert.LabelService: "db", convert.LabelNumber: "1"}
	cfg := &container.Config{Image: "busybox:1.36", Labels: labels}
	if health {
		cfg.Healthcheck = &container.HealthConfig{Test: []string{"CMD", "true"}, Interval: time.Second}
	}
	host := &container.HostConfig{RestartPolicy: container.RestartPolicy{Name: container.RestartPolicyAlways}}
	c, err := api.ContainerCreate(context.Background(), cfg, host, nil, nil, "p-db-1")
	if err != nil {
		t.Fatal(err)
	}
	api.CrashLoop("p-db-1", 3, failures, "boom")
	if err := api.ContainerStart(context.Background(), c.ID, container.StartOptions{}); err != nil {
		t.Fatal(err)
	}
	return api, plan.Container{ID: c.ID, Name: "p-db-1", Service: "db"}
}

// restartWait runs WaitFor(web on db, condition) on a watcher whose
// re-say ticker never fires and whose settle timer is settle; it returns
// the wait's result and the reasons it said.
func restartWait(t *testing.T, api *dockerapi.FakeClient, db plan.Container, condition string, timeout time.Duration, now func() time.Time, settle <-chan time.Time) (<-chan error, func() []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	w := Watch(ctx, logs.NewMonitor(api, "p"))
	w.tick = func(time.Duration) <-chan time.Time { return nil }
	w.now, w.after = now, func(time.Duration) <-chan time.Time { return settle }
	rec := &recorder{}
	done := make(chan error, 1)
	go func() {
		done <- WaitFor(ctx, api, w, Wait{Service: "web", Container: db, Condition: condition, Out: rec})
	}()
	return done, func() []string {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		var out []string
		for _, e := range rec.events {
			if e.Kind == progress.KindWait && e.Wait != nil {
				out = append(out, e.Wait.Sentence())
			}
		}
		return out
	}
}

func said(reasons func() []string, want string) func() bool {
	return func() bool {
		for _, r := range reasons() {
			if r == want {
				return true
			}
		}
		return false
	}
}

// A health wait on a crash-looping dependency goes on through its
// restarts, saying each with its exit code and count, and ends when the
// dependency, up at last, turns healthy.
func TestWaitForHealthyThroughRestarts(t *testing.T) {
	api, db := crashLoopEngine(t, true, 2)
	done, reasons := restartWait(t, api, db, "service_healthy", 5*time.Second, time.Now, nil)
	eventually(t, "the first restart said", said(reasons, "web waits for db to be healthy: db is restarting (exit 3, 1 restart)"))
	eventually(t, "the wait watches the engine's events", func() bool { return api.EventStreams() > 0 })
	if err := api.RestartDue(db.Name); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the second restart said", said(reasons, "web waits for db to be healthy: db is restarting (exit 3, 2 restarts)"))
	if err := api.RestartDue(db.Name); err != nil { // up at last
		t.Fatal(err)
	}
	select {
	case err := <-done:
		t.Fatalf("returned %v before db was healthy", err)
	case <-time.After(50 * time.Millisecond):
	}
	if err := api.SetHealth(db.Name, container.Healthy, ""); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// A running wait (up --wait without a healthcheck) goes on through the
// restarts too, and ends once the dependency has stayed up long enough.
func TestWaitForRunningThroughRestarts(t *testing.T) {
	api, db := crashLoopEngine(t, false, 1)
	var later atomic.Bool
	now := func() time.Time {
		if later.Load() {
			return time.Now().Add(time.Minute)
		}
		return time.Now()
	}
	settle := make(chan time.Time)
	done, reasons := restartWait(t, api, db, conditionRunning, 5*time.Second, now, settle)
	eventually(t, "the restart said", said(reasons, "web waits for db to be running: db is restarting (exit 3, 1 restart)"))
	eventually(t, "the wait watches the engine's events", func() bool { return api.EventStreams() > 0 })
	if err := api.RestartDue(db.Name); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the settling said", func() bool {
		r := reasons()
		return strings.HasSuffix(r[len(r)-1], "not yet long enough to count as running")
	})
	later.Store(true)
	settle <- time.Time{}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// A wait that ends (up's --wait-timeout) while the dependency still
// restarts names the loop, its exit code, restart count and last log lines.
func TestWaitForRestartingTimeout(t *testing.T) {
	api, db := crashLoopEngine(t, true, 5)
	done, _ := restartWait(t, api, db, "service_healthy", 300*time.Millisecond, time.Now, nil)
	err := <-done
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v", err)
	}
	for _, want := range []string{"service db (container p-db-1) is restarting in a loop: exited with code 3, restarted 1 time, not yet healthy", "| boom"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// A wait that ends just after the engine started the looping container
// again names the loop it saw, with the restart count now.
func TestWaitForRestartedTimeout(t *testing.T) {
	api, db := crashLoopEngine(t, false, 1)
	done, reasons := restartWait(t, api, db, conditionRunning, time.Second, time.Now, nil)
	eventually(t, "the restart said", said(reasons, "web waits for db to be running: db is restarting (exit 3, 1 restart)"))
	if err := api.RestartDue(db.Name); err != nil {
		t.Fatal(err)
	}
	err := <-done
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "is restarting in a loop: exited with code 3, restarted 1 time, not yet running") {
		t.Fatalf("error %v", err)
	}
}

// Without a restart policy a dependency that exits fails the wait at
// once, with its exit code, as compose fails it.
func TestWaitForExitedNoPolicy(t *testing.T) {
	api, db, _ := silentHealthEngine(t)
	if err := api.Exit(db.Name, 3); err != nil {
		t.Fatal(err)
	}
	done, _ := restartWait(t, api, db, "service_healthy", 5*time.Second, time.Now, nil)
	err := <-done
	if !errors.Is(err, ErrDependencyFailed) || !strings.Contains(err.Error(), "exited with code 3 before it was healthy") {
		t.Fatalf("error %v", err)
	}
}

// inspectEnds is an engine whose ContainerInspect, once armed, ends the
// wait's context while it is asked (the deadline falls during the call).
type inspectEnds struct {
	*dockerapi.FakeClient
	armed  atomic.Bool
	cancel context.CancelFunc
}

func (e *inspectEnds) ContainerInspect(ctx context.Context, id string) (container.InspectResponse, error) {
	if e.armed.Load() {
		e.cancel()
		return container.InspectResponse{}, fmt.Errorf("Get \"http://docker/containers/%s/json\": %w", id, context.DeadlineExceeded)
	}
	return e.FakeClient.ContainerInspect(ctx, id)
}

// A wait whose time runs out while it asks the engine for the container
// names the loop it saw last, not the failed call.
func TestWaitForTimeoutDuringInspect(t *testing.T) {
	fake, db := crashLoopEngine(t, false, 5)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	api := &inspectEnds{FakeClient: fake, cancel: cancel}
	w := Watch(ctx, logs.NewMonitor(fake, "p"))
	w.tick = func(time.Duration) <-chan time.Time { return nil }
	rec := &recorder{}
	done := make(chan error, 1)
	go func() {
		done <- WaitFor(ctx, api, w, Wait{Service: "web", Container: db, Condition: conditionRunning, Out: rec})
	}()
	eventually(t, "the wait watches the engine's events", func() bool { return fake.EventStreams() > 0 })
	eventually(t, "the restart seen", func() bool {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		return len(rec.events) > 0
	})
	api.armed.Store(true)
	if err := fake.RestartDue(db.Name); err != nil { // an event: the wait asks again
		t.Fatal(err)
	}
	err := <-done
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "is restarting in a loop: exited with code 3, restarted 1 time, not yet running") {
		t.Fatalf("error %v", err)
	}
}
