package apply

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/devstack/devstack/internal/containers"
)

// Down removes the containers, dependents first, and the networks; the
// named volumes stay without -v.
func TestDownKeepsVolumes(t *testing.T) {
	s := newFakeStack(t)
	s.mustUp(shopYAML, UpOptions{})
	mark := s.mark()
	if err := s.down(DownOptions{Known: []string{"db", "web"}}); err != nil {
		t.Fatal(err)
	}
	s.wantStates()
	if got := s.networks(); len(got) != 0 {
		t.Errorf("networks left %q", got)
	}
	if got := s.volumes(); !slices.Equal(got, []string{"demo_data"}) {
		t.Errorf("volumes %q", got)
	}
	var stops []string
	for _, e := range s.engineEvents(mark) {
		if strings.HasPrefix(e, "stop ") {
			stops = append(stops, e)
		}
	}
	if !slices.Equal(stops, []string{"stop demo-web-1", "stop demo-db-1"}) {
		t.Errorf("stop order %q", stops)
	}
}

// Down -v removes the named volumes and the anonymous ones.
func TestDownVolumes(t *testing.T) {
	s := newFakeStack(t)
	s.api.AddImage("app:1", imageWithVolume("/cache"))
	s.mustUp(`
services:
  app: {image: app:1, volumes: [data:/data]}
volumes: {data: {}}
`, UpOptions{})
	if got := s.volumes(); !slices.Equal(got, []string{"anon", "demo_data"}) {
		t.Fatalf("volumes %q", got)
	}
	if err := s.down(DownOptions{Volumes: true}); err != nil {
		t.Fatal(err)
	}
	if got := s.volumes(); len(got) != 0 {
		t.Errorf("volumes left %q", got)
	}
}

// Down of the compose file's services leaves an orphan, and the network
// it is on, with warnings; with --remove-orphans it goes too.
func TestDownOrphans(t *testing.T) {
	s := newFakeStack(t)
	s.mustUp(withWorker, UpOptions{})
	if err := s.down(DownOptions{Known: []string{"web"}}); err != nil {
		t.Fatal(err)
	}
	s.wantStates("demo-worker-1 running")
	if got := s.networks(); !slices.Equal(got, []string{"demo_default"}) {
		t.Errorf("networks %q", got)
	}
	if !s.out.warned("found orphan container demo-worker-1") || !s.out.warned("network demo_default is left in place") {
		t.Errorf("progress %v", s.out.events)
	}
	if err := s.down(DownOptions{Known: []string{"web"}, RemoveOrphans: true}); err != nil {
		t.Fatal(err)
	}
	s.wantStates()
	if got := s.networks(); len(got) != 0 {
		t.Errorf("networks %q", got)
	}
}

// Down --rmi removes the images the caller names once their containers are gone.
func TestDownRemovesImages(t *testing.T) {
	s := newFakeStack(t)
	s.mustUp("services: {web: {image: nginx:1.27}}", UpOptions{})
	if err := s.down(DownOptions{Images: []string{"nginx:1.27"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.api.ImageInspect(context.Background(), "nginx:1.27"); err == nil {
		t.Error("the image is still there")
	}
}

// Stop, start, restart and kill act on the project's containers in
// dependency order and leave them as they say.
func TestStopStartRestartKill(t *testing.T) {
	s := newFakeStack(t)
	s.mustUp(shopYAML, UpOptions{})
	ctx := context.Background()
	if err := containers.Stop(ctx, s.api, "demo", []string{"web"}, nil, s.out); err != nil {
		t.Fatal(err)
	}
	s.wantStates("demo-db-1 running", "demo-web-1 exited")
	if err := containers.Start(ctx, s.api, "demo", nil, nil, s.out); err != nil {
		t.Fatal(err)
	}
	s.wantStates("demo-db-1 running", "demo-web-1 running")
	before := s.inspect("demo-web-1").State.StartedAt
	if err := containers.Restart(ctx, s.api, "demo", containers.RestartOptions{Services: []string{"web"}}, s.out); err != nil {
		t.Fatal(err)
	}
	if s.inspect("demo-web-1").State.StartedAt == before {
		t.Error("web was not restarted")
	}
	if err := containers.Kill(ctx, s.api, "demo", s.out); err != nil {
		t.Fatal(err)
	}
	s.wantStates("demo-db-1 exited", "demo-web-1 exited")
	if code := s.inspect("demo-db-1").State.ExitCode; code != 137 {
		t.Errorf("killed db exited %d", code)
	}
	if err := containers.Stop(ctx, s.api, "demo", []string{"nosuch"}, nil, s.out); err == nil || !strings.Contains(err.Error(), "services with containers: db, web") {
		t.Errorf("stop of a service without containers: %v", err)
	}
}
