package apply

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/containerd/errdefs"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/progress"
	"github.com/docker/docker/api/types/container"
)

// shopYAML with web's config changed.
var shopChanged = strings.Replace(shopYAML, "MODE: one", "MODE: two", 1)

// A changed service gets a new container under the same name; the other
// is left running as it was.
func TestUpRecreatesChanged(t *testing.T) {
	s := newFakeStack(t)
	s.mustUp(shopYAML, UpOptions{})
	before := s.containers()
	res := s.mustUp(shopChanged, UpOptions{})

	if got := res.Plan.String(); !strings.Contains(got, "container:demo-web-1 RecreateContainer, config hash changed") || !strings.Contains(got, "container:demo-db-1 Keep") {
		t.Errorf("plan:\n%s", got)
	}
	s.wantStates("demo-db-1 running", "demo-web-1 running")
	after := s.containers()
	if after["demo-web-1"].ID == before["demo-web-1"].ID || after["demo-db-1"].ID != before["demo-db-1"].ID {
		t.Errorf("web %s -> %s, db %s -> %s", before["demo-web-1"].ID[:12], after["demo-web-1"].ID[:12], before["demo-db-1"].ID[:12], after["demo-db-1"].ID[:12])
	}
	if !slices.Contains(s.inspect("demo-web-1").Config.Env, "MODE=two") {
		t.Error("the new container runs the old config")
	}
	if !s.out.saw(progress.KindContainer, "demo-web-1", "Recreated") {
		t.Errorf("progress %v", s.out.events)
	}
}

// When the new container cannot be made (create refused, or a network it
// joins after create), the old one gets its name back and runs again.
func TestRecreateRollsBack(t *testing.T) {
	for _, tt := range []struct{ name, method string }{
		{"create fails", "ContainerCreate"},
		{"connect fails", "NetworkConnect"},
		{"rename aside fails", "ContainerRename"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newFakeStack(t)
			s.mustUp(shopYAML, UpOptions{})
			old := s.containers()["demo-web-1"].ID
			s.api.FailNext(tt.method, errdefs.ErrInvalidArgument.WithMessage("refused"))

			_, err := s.up(shopChanged, UpOptions{})
			if err == nil || !strings.Contains(err.Error(), "refused") || !strings.Contains(err.Error(), "the old container is kept") {
				t.Fatalf("error %v", err)
			}
			s.wantStates("demo-db-1 running", "demo-web-1 running")
			if got := s.containers()["demo-web-1"].ID; got != old {
				t.Errorf("demo-web-1 is %s, want the old %s", got[:12], old[:12])
			}
			if slices.Contains(s.inspect("demo-web-1").Config.Env, "MODE=two") {
				t.Error("the old container runs the new config")
			}
			// The next up recreates it.
			s.mustUp(shopChanged, UpOptions{})
			if got := s.containers()["demo-web-1"].ID; got == old {
				t.Error("not recreated once the engine let it")
			}
		})
	}
}

// A new container that fails to start is not rolled back: the old one is
// removed by then, and up fails naming the container.
func TestRecreateStartFails(t *testing.T) {
	s := newFakeStack(t)
	s.mustUp(shopYAML, UpOptions{})
	s.api.FailOn("ContainerStart", "demo-web-1", errors.New("exec format error"))
	_, err := s.up(shopChanged, UpOptions{})
	if err == nil || !strings.Contains(err.Error(), "start demo-web-1: exec format error") {
		t.Fatalf("error %v", err)
	}
	s.wantStates("demo-db-1 running", "demo-web-1 created")
	s.mustUp(shopChanged, UpOptions{})
	s.wantStates("demo-db-1 running", "demo-web-1 running")
}

// A container an interrupted recreate left renamed aside is replaced
// under its own name, and nothing stays aside.
func TestUpFinishesInterruptedRecreate(t *testing.T) {
	s := newFakeStack(t)
	s.mustUp(shopYAML, UpOptions{})
	web := s.containers()["demo-web-1"]
	ctx := context.Background()
	if err := s.api.ContainerStop(ctx, web.ID, container.StopOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := s.api.ContainerRename(ctx, web.ID, web.ID[:12]+"_demo-web-1"); err != nil {
		t.Fatal(err)
	}
	res := s.mustUp(shopYAML, UpOptions{})
	if got := res.Plan.String(); !strings.Contains(got, "container:demo-web-1 RecreateContainer, renamed aside by an interrupted recreate") {
		t.Errorf("plan:\n%s", got)
	}
	s.wantStates("demo-db-1 running", "demo-web-1 running")
}

// --force-recreate replaces every container; --no-recreate none, even changed.
func TestUpForceAndNoRecreate(t *testing.T) {
	s := newFakeStack(t)
	s.mustUp(shopYAML, UpOptions{})
	before := s.containers()
	s.mustUp(shopChanged, UpOptions{PlanOptions: plan.PlanOptions{NoRecreate: true}})
	for name, c := range s.containers() {
		if c.ID != before[name].ID {
			t.Errorf("--no-recreate replaced %s", name)
		}
	}
	s.mustUp(shopYAML, UpOptions{PlanOptions: plan.PlanOptions{ForceRecreate: true}})
	for name, c := range s.containers() {
		if c.ID == before[name].ID {
			t.Errorf("--force-recreate kept %s", name)
		}
	}
}

const withWorker = `
services:
  web: {image: nginx:1.27}
  worker: {image: busybox:1.36}
`

// A service gone from the compose file leaves an orphan: kept, with a
// warning, unless up removes orphans.
func TestUpOrphans(t *testing.T) {
	s := newFakeStack(t)
	s.mustUp(withWorker, UpOptions{})
	webOnly := "services: {web: {image: nginx:1.27}}"

	res := s.mustUp(webOnly, UpOptions{})
	if len(res.Plan.Orphans) != 1 || !s.out.warned("found orphan container demo-worker-1 of service worker") {
		t.Errorf("orphans %v, progress %v", res.Plan.Orphans, s.out.events)
	}
	s.wantStates("demo-web-1 running", "demo-worker-1 running")

	s.mustUp(webOnly, UpOptions{PlanOptions: plan.PlanOptions{RemoveOrphans: true}})
	s.wantStates("demo-web-1 running")
	if !s.out.saw(progress.KindContainer, "demo-worker-1", "Removed") {
		t.Errorf("progress %v", s.out.events)
	}
}

// Scaling up adds numbered replicas; scaling down removes the highest.
func TestUpScale(t *testing.T) {
	s := newFakeStack(t)
	yaml := "services: {web: {image: nginx:1.27}, db: {image: postgres:16}}"
	p := load(t, yaml)
	if err := plan.ApplyScale(p, map[string]int{"web": 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.upProject(p, UpOptions{}); err != nil {
		t.Fatal(err)
	}
	s.wantStates("demo-db-1 running", "demo-web-1 running", "demo-web-2 running", "demo-web-3 running")
	first := s.containers()["demo-web-1"].ID

	p = load(t, yaml)
	if err := plan.ApplyScale(p, map[string]int{"web": 1}); err != nil {
		t.Fatal(err)
	}
	res, err := s.upProject(p, UpOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s.wantStates("demo-db-1 running", "demo-web-1 running")
	if s.containers()["demo-web-1"].ID != first {
		t.Error("scaling down replaced the replica it kept")
	}
	if got := res.Plan.String(); !strings.Contains(got, "container:demo-web-3 RemoveContainer, scaled down") {
		t.Errorf("plan:\n%s", got)
	}
}
