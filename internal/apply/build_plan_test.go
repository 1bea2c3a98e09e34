package apply

import (
	"errors"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

func buildProject(t *testing.T) *types.Project {
	return load(t, `
services:
  app: {build: .}
  pushed: {build: ., image: registry.example:5000/team/pushed:1}
  db: {image: postgres:16}
`)
}

// build plans the services with a build section, their images named;
// --push refuses, before anything is built, an image it would push to
// Docker Hub's official namespace.
func TestPlanBuild(t *testing.T) {
	b, err := PlanBuild(buildProject(t), false)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range b.Targets {
		names = append(names, s.Name+"="+s.Image)
	}
	if len(names) != 2 || names[0] != "app=demo-app" || names[1] != "pushed=registry.example:5000/team/pushed:1" {
		t.Errorf("targets %v", names)
	}
	if b.Pushes != nil {
		t.Errorf("pushes without --push: %v", b.Pushes)
	}
	if _, err := PlanBuild(buildProject(t), true); !errors.Is(err, ErrNoRegistry) {
		t.Errorf("--push of demo-app: %v", err)
	}
	p := buildProject(t)
	delete(p.Services, "app")
	if b, err = PlanBuild(p, true); err != nil || len(b.Pushes) != 1 || b.Pushes[0].Name != "pushed" {
		t.Errorf("--push: %v, %v", b.Pushes, err)
	}
}
