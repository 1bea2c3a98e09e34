package engine

import (
	"strings"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/events"
)

// Podman serves a Docker-compatible API (`podman system service`) with a
// few differences devstack smooths over here: its /version names it, its
// event stream says "remove" where Docker says "destroy" (and adds "init"
// and "cleanup"), and it runs healthchecks only through systemd timers (see
// ErrHealthNeverRan).

// podmanComponent is the component name Podman's /version reports.
const podmanComponent = "podman"

// IsPodman reports whether a /version answer comes from Podman: one of its
// components, or the platform, names it. Pure.
func IsPodman(v types.Version) bool {
	for _, c := range v.Components {
		if strings.Contains(strings.ToLower(c.Name), podmanComponent) {
			return true
		}
	}
	return strings.Contains(strings.ToLower(v.Platform.Name), podmanComponent)
}

// EngineName is "Podman" or "Docker", after the /version answer. Pure.
func EngineName(v types.Version) string {
	if IsPodman(v) {
		return "Podman"
	}
	return "Docker"
}

// podmanActions maps Podman's names of container events to Docker's.
var podmanActions = map[events.Action]events.Action{
	"remove": events.ActionDestroy,
}

// dockerAction is action under Docker's name (Podman's "remove" is
// "destroy"); Docker's own names pass unchanged. Pure.
func dockerAction(action events.Action) events.Action {
	if a, ok := podmanActions[action]; ok {
		return a
	}
	return action
}
