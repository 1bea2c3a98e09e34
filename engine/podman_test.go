package engine

import (
	"testing"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/events"
)

func TestIsPodman(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    types.Version
		want bool
	}{
		{"podman 4.3 component", types.Version{
			Platform:   struct{ Name string }{"linux/amd64/debian-12"},
			Components: []types.ComponentVersion{{Name: "Podman Engine", Version: "4.3.1"}, {Name: "Conmon"}},
		}, true},
		{"podman platform only", types.Version{Platform: struct{ Name string }{"Podman Engine"}}, true},
		{"docker engine", types.Version{
			Platform:   struct{ Name string }{"Docker Engine - Community"},
			Components: []types.ComponentVersion{{Name: "Engine"}, {Name: "containerd"}, {Name: "runc"}},
		}, false},
		{"nothing said", types.Version{}, false},
	} {
		if got := IsPodman(tc.v); got != tc.want {
			t.Errorf("%s: IsPodman = %v, want %v", tc.name, got, tc.want)
		}
		want := map[bool]string{true: "Podman", false: "Docker"}[tc.want]
		if got := EngineName(tc.v); got != want {
			t.Errorf("%s: EngineName = %q, want %q", tc.name, got, want)
		}
	}
}

func TestContainerEventPodmanNames(t *testing.T) {
	for in, want := range map[events.Action]events.Action{
		"remove":                 events.ActionDestroy,
		events.ActionDestroy:     events.ActionDestroy,
		events.ActionDie:         events.ActionDie,
		"init":                   "init",
		"health_status: healthy": "health_status: healthy",
	} {
		ev := containerEvent(events.Message{Action: in, Actor: events.Actor{ID: "c1", Attributes: map[string]string{"name": "p-web-1"}}})
		if ev.Action != want {
			t.Errorf("event %q: Action %q, want %q", in, ev.Action, want)
		}
	}
}
