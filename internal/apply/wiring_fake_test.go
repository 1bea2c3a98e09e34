package apply

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/logs"
)

// Inline configs and secrets are copied into the container before it starts.
func TestUpCopiesConfigsAndSecrets(t *testing.T) {
	s := newFakeStack(t)
	p := load(t, `
services:
  web:
    image: nginx:1.27
    configs: [{source: site, target: /etc/nginx/conf.d/site.conf}]
    secrets: [token]
configs: {site: {content: "server {}"}}
secrets: {token: {environment: TOKEN}}
`)
	p.Environment = types.Mapping{"TOKEN": "s3cret"}
	if _, err := s.upProject(p, UpOptions{}); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{"/etc/nginx/conf.d/site.conf": "server {}", "/run/secrets/token": "s3cret"} {
		if got, ok := s.api.File("demo-web-1", path); !ok || string(got) != want {
			t.Errorf("%s: %q (there: %v), want %q", path, got, ok, want)
		}
	}
}

// A service sharing another's network, and one linking to it, are created
// once that container exists and point at it.
func TestUpServiceReferences(t *testing.T) {
	s := newFakeStack(t)
	s.mustUp(`
services:
  db: {image: postgres:16}
  sidecar: {image: busybox:1.36, network_mode: "service:db"}
  web: {image: nginx:1.27, links: [db]}
`, UpOptions{})
	s.wantStates("demo-db-1 running", "demo-sidecar-1 running", "demo-web-1 running")
	db := s.containers()["demo-db-1"].ID
	if mode := s.inspect("demo-sidecar-1").HostConfig.NetworkMode; string(mode) != "container:"+db {
		t.Errorf("sidecar's network mode %s", mode)
	}
	if links := s.inspect("demo-web-1").HostConfig.Links; !slices.Contains(links, "demo-db-1:db") {
		t.Errorf("web's links %q", links)
	}
}

// Interrupted while it waits, up says in which step; Describe adds what
// is left on the engine.
func TestUpInterrupted(t *testing.T) {
	s := newFakeStack(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		p := load(t, healthyDep)
		_, err := Up(ctx, s.api, logs.NewMonitor(s.api, "demo"), p, UpOptions{Known: p.ServiceNames()}, s.out)
		done <- err
	}()
	eventually(t, "db runs", func() bool { return s.containers()["demo-db-1"].State == "running" })
	cancel()
	err := <-done
	var in *Interrupted
	if !errors.As(err, &in) || !errors.Is(err, context.Canceled) || !strings.Contains(in.Step, "starting containers") {
		t.Fatalf("error %v", err)
	}
	dctx, dcancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer dcancel()
	in.Describe(dctx, s.api, "demo")
	if want := "created: demo-web-1; running: demo-db-1; network demo_default"; !strings.Contains(in.Error(), want) {
		t.Errorf("%v, want it to say %q", in, want)
	}
}

// The dashboard's actions stop, start, restart and recreate a service.
func TestServiceActions(t *testing.T) {
	s := newFakeStack(t)
	s.mustUp(shopYAML, UpOptions{})
	a := ServiceActions{API: s.api, Monitor: logs.NewMonitor(s.api, "demo"), Project: "demo",
		Resolve: func(context.Context, string) (*types.Project, *types.Project, error) {
			p := load(t, shopYAML)
			return p, p, nil
		}}
	ctx := context.Background()
	if err := a.Stop(ctx, "web"); err != nil {
		t.Fatal(err)
	}
	s.wantStates("demo-db-1 running", "demo-web-1 exited")
	if err := a.Start(ctx, "web"); err != nil {
		t.Fatal(err)
	}
	if err := a.Restart(ctx, "web"); err != nil {
		t.Fatal(err)
	}
	if err := a.RestartAll(ctx); err != nil {
		t.Fatal(err)
	}
	before := s.containers()
	if err := a.Recreate(ctx, "web"); err != nil {
		t.Fatal(err)
	}
	after := s.containers()
	if after["demo-web-1"].ID == before["demo-web-1"].ID || after["demo-db-1"].ID != before["demo-db-1"].ID {
		t.Error("recreate of web: web kept or db replaced")
	}
	s.wantStates("demo-db-1 running", "demo-web-1 running")
}
