package logs

import (
	"testing"

	"github.com/docker/docker/api/types/events"
)

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
