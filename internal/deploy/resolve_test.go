package deploy

import (
	"context"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/swarm"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/stack"
)

func TestPin(t *testing.T) {
	api := dockerapi.NewFakeClient()
	id := api.AddPullable("reg.example:5000/shop/web:1", nil)
	latest := api.AddPullable("redis", nil)
	for _, tc := range []struct{ image, want string }{
		{"reg.example:5000/shop/web:1", "reg.example:5000/shop/web:1@" + id},
		{"redis", "redis:latest@" + latest},
		{"redis@" + latest, "redis@" + latest},
	} {
		got, err := pin(context.Background(), api, tc.image, "")
		if err != nil || got != tc.want {
			t.Errorf("pin(%s) = %q, %v; want %q", tc.image, got, err, tc.want)
		}
	}
	if _, err := pin(context.Background(), api, "reg.example:5000/shop/nope:1", ""); err == nil {
		t.Error("pin of an image the registry does not have: no error")
	}
}

// TestResolveImages: which images each mode pins, for a new service
// (web), an unchanged one (db) whose tag was pushed again since the last
// deploy, and one whose image changed (api), as docker stack deploy's
// --resolve-image always, changed and never.
func TestResolveImages(t *testing.T) {
	api := dockerapi.NewFakeClient()
	web := api.AddPullable("reg/web:1", nil)
	dbOld := api.AddPullable("reg/db:1", nil)
	dbNew := api.AddPullable("reg/db:1", nil) // pushed again
	apiNew := api.AddPullable("reg/api:2", nil)
	observed := []swarm.Service{swarmService("p_db", "reg/db:1", "reg/db:1@"+dbOld), swarmService("p_api", "reg/api:1", "reg/api:1@sha256:"+strings.Repeat("a", 64))}
	plan := stack.Plan{Actions: []stack.Action{
		{Kind: stack.Create, Service: stackService("p_web", "reg/web:1")},
		{Kind: stack.Unchanged, Service: stackService("p_db", "reg/db:1"), Observed: observedService("p_db", "reg/db:1")},
		{Kind: stack.Update, Service: stackService("p_api", "reg/api:2"), Observed: observedService("p_api", "reg/api:1"), Reason: "spec changed"},
	}}
	for _, tc := range []struct {
		mode string
		want []string // kind image, per action
	}{
		{ResolveAlways, []string{"create reg/web:1@" + web, "update reg/db:1@" + dbNew, "update reg/api:2@" + apiNew}},
		{ResolveChanged, []string{"create reg/web:1@" + web, "unchanged reg/db:1", "update reg/api:2@" + apiNew}},
		{ResolveNever, []string{"create reg/web:1", "unchanged reg/db:1", "update reg/api:2"}},
	} {
		got, err := resolveImages(context.Background(), api, plan, observed, tc.mode, nil, progress.Discard)
		if err != nil {
			t.Fatalf("%s: %v", tc.mode, err)
		}
		for i, a := range got.Actions {
			if s := string(a.Kind) + " " + a.Service.Spec.TaskTemplate.ContainerSpec.Image; s != tc.want[i] {
				t.Errorf("%s: action %d is %q, want %q", tc.mode, i, s, tc.want[i])
			}
		}
	}
	if img := plan.Actions[0].Service.Spec.TaskTemplate.ContainerSpec.Image; img != "reg/web:1" {
		t.Errorf("the plan's spec was changed in place: %s", img)
	}
}

// An unchanged image (same tag in the project) keeps the digest an
// earlier deploy pinned, with changed and never, so an update of another
// key does not unpin it; an image no registry gives stays unpinned, with
// a warning.
func TestResolveKeepsPinnedAndWarns(t *testing.T) {
	api := dockerapi.NewFakeClient()
	pinned := "reg/db:1@sha256:" + strings.Repeat("b", 64)
	observed := []swarm.Service{swarmService("p_db", "reg/db:1", pinned)}
	plan := stack.Plan{Actions: []stack.Action{
		{Kind: stack.Update, Service: stackService("p_db", "reg/db:1"), Observed: observedService("p_db", "reg/db:1"), Reason: "spec changed"},
		{Kind: stack.Create, Service: stackService("p_local", "local-only:1")},
	}}
	for _, mode := range []string{ResolveChanged, ResolveNever} {
		got, _ := resolveImages(context.Background(), api, plan, observed, mode, nil, progress.Discard)
		if img := got.Actions[0].Service.Spec.TaskTemplate.ContainerSpec.Image; img != pinned {
			t.Errorf("%s: image %s, want the swarm's %s", mode, img, pinned)
		}
	}
	var warnings []string
	got, err := resolveImages(context.Background(), api, plan, observed, ResolveAlways, nil,
		progressFunc(func(e progress.Event) { warnings = append(warnings, e.Detail) }))
	if err != nil {
		t.Fatal(err)
	}
	if img := got.Actions[1].Service.Spec.TaskTemplate.ContainerSpec.Image; img != "local-only:1" {
		t.Errorf("image %s, want local-only:1 as written", img)
	}
	if len(warnings) != 2 || !strings.Contains(warnings[1], "local-only:1 could not be accessed on a registry to record its digest") {
		t.Errorf("warnings %q", warnings)
	}
}

func stackService(name, image string) stack.Service {
	var spec swarm.ServiceSpec
	spec.Name = name
	spec.Labels = map[string]string{stack.LabelImage: image}
	spec.TaskTemplate.ContainerSpec = &swarm.ContainerSpec{Image: image}
	return stack.Service{Name: name, Spec: spec}
}

func observedService(name, image string) *stack.ObservedService {
	return &stack.ObservedService{ID: name, Name: name, Labels: map[string]string{stack.LabelImage: image}}
}

func swarmService(name, written, image string) swarm.Service {
	s := swarm.Service{ID: name}
	s.Spec.Name = name
	s.Spec.Labels = map[string]string{stack.LabelImage: written}
	s.Spec.TaskTemplate.ContainerSpec = &swarm.ContainerSpec{Image: image}
	return s
}
