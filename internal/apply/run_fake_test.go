package apply

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/progress"
)

const toolYAML = `
services:
  db:
    image: postgres:16
    healthcheck: {test: [CMD, pg_isready]}
  tool:
    image: busybox:1.36
    depends_on: {db: {condition: service_healthy}}
`

// run brings the service's dependencies up and waits for them, then
// creates its one-off container; detached, it starts it and returns.
func TestRunDetached(t *testing.T) {
	s := newFakeStack(t)
	s.api.HealthOnStart("demo-db-1", container.Healthy)
	p := load(t, toolYAML)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	o := RunOptions{RunOptions: convert.RunOptions{Service: "tool", Detach: true, Cmd: []string{"sh"}}}
	c, err := PrepareRun(ctx, s.api, logs.NewMonitor(s.api, "demo"), p, p.ServiceNames(), o, s.out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(c.Name, "demo-tool-run-") || c.Labels[convert.LabelOneoff] != "True" {
		t.Errorf("one-off %s, labels %v", c.Name, c.Labels)
	}
	if _, err := StartRun(ctx, s.api, c, o, containers.Stdio{}, nil); err != nil {
		t.Fatal(err)
	}
	got := s.states()
	if len(got) != 2 || got[0] != "demo-db-1 running" || got[1] != c.Name+" running" {
		t.Errorf("containers %q", got)
	}
	if cmd := s.inspect(c.Name).Config.Cmd; !slices.Equal(cmd, []string{"sh"}) {
		t.Errorf("cmd %q", cmd)
	}
}

// run waits for its dependencies' conditions and says meanwhile on what
// and why, as up does.
func TestRunSaysWhy(t *testing.T) {
	s := newFakeStack(t)
	s.api.HealthOnStart("demo-db-1", container.Starting)
	p := load(t, toolYAML)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	o := RunOptions{RunOptions: convert.RunOptions{Service: "tool", Detach: true, Cmd: []string{"sh"}}}
	done := make(chan error, 1)
	go func() {
		_, err := PrepareRun(ctx, s.api, logs.NewMonitor(s.api, "demo"), p, p.ServiceNames(), o, s.out)
		done <- err
	}()
	eventually(t, "tool waits for db, saying why", func() bool { return s.out.saw(progress.KindWait, "tool -> demo-db-1", progress.WaitWaiting) })
	if err := s.api.SetHealth("demo-db-1", container.Healthy, "ok"); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !s.out.saw(progress.KindWait, "tool -> demo-db-1", progress.WaitDone) {
		t.Error("the wait's end was not said")
	}
}

// run --rm --no-deps: only the one-off, which the engine removes once it exited.
func TestRunRemoved(t *testing.T) {
	s := newFakeStack(t)
	p := load(t, toolYAML)
	ctx := context.Background()
	o := RunOptions{RunOptions: convert.RunOptions{Service: "tool", Detach: true, Remove: true, Name: "demo-job"}, NoDeps: true}
	c, err := PrepareRun(ctx, s.api, logs.NewMonitor(s.api, "demo"), p.WithServicesDisabled("db"), p.ServiceNames(), o, s.out)
	if err != nil {
		t.Fatal(err)
	}
	s.api.ExitOnStart("demo-job", 0)
	if _, err := StartRun(ctx, s.api, c, o, containers.Stdio{}, nil); err != nil {
		t.Fatal(err)
	}
	s.wantStates()
}

// wait returns the exit code of the first of the project's containers to stop.
func TestWaitExit(t *testing.T) {
	s := newFakeStack(t)
	s.mustUp(shopYAML, UpOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	done := make(chan int, 1)
	var exited []string
	go func() {
		code, err := WaitExit(ctx, s.api, "demo", []string{"web"}, true, func(e Exited) { exited = append(exited, e.Container.Name) })
		if err != nil {
			t.Error(err)
		}
		done <- code
	}()
	eventually(t, "wait watches web", func() bool { return s.api.Count("ContainerWait") > 0 })
	if err := s.api.Exit("demo-web-1", 3); err != nil {
		t.Fatal(err)
	}
	if code := <-done; code != 3 || !slices.Equal(exited, []string{"demo-web-1"}) {
		t.Errorf("code %d, exited %q", code, exited)
	}
	if _, err := WaitExit(ctx, s.api, "demo", []string{"web"}, true, func(Exited) {}); err == nil {
		t.Error("wait with nothing running returned no error")
	}
}

// A network whose config changed is removed and created again, with the
// containers on it stopped first and recreated onto the new one.
func TestUpRecreatesChangedNetwork(t *testing.T) {
	s := newFakeStack(t)
	s.mustUp(shopYAML, UpOptions{})
	before := s.containers()
	res := s.mustUp(strings.Replace(shopYAML, "back: {}", "back: {internal: true}", 1), UpOptions{})
	if got := res.Plan.String(); !strings.Contains(got, "network:demo_back RecreateNetwork") {
		t.Fatalf("plan:\n%s", got)
	}
	s.wantStates("demo-db-1 running", "demo-web-1 running")
	for name, c := range s.containers() {
		if c.ID == before[name].ID {
			t.Errorf("%s, on the changed network, was kept", name)
		}
	}
	if ep := s.inspect("demo-db-1").NetworkSettings.Networks["demo_back"]; ep == nil || ep.IPAddress == "" {
		t.Errorf("db on the new network: %+v", ep)
	}
}
