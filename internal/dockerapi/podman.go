package dockerapi

import (
	"context"
	"strings"
	"sync"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/events"
)

// Podman serves a Docker-compatible API (`podman system service`) with a
// few differences devstack smooths over here: its /version names it, its
// event stream says "remove" where Docker says "destroy" (and adds "init"
// and "cleanup"), a container being stopped is "stopping", not running
// (plan.Container.Running), its log timestamps have whole seconds (the
// lineMark of internal/logs), and it runs healthchecks only through systemd
// timers (apply.ErrHealthNeverRan).

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

// DockerAction is action under Docker's name (Podman's "remove" is
// "destroy"); Docker's own names pass unchanged. Pure.
func DockerAction(action events.Action) events.Action {
	if a, ok := podmanActions[action]; ok {
		return a
	}
	return action
}

// defaultStopTimeout is Docker's stop timeout for a container created
// without one, in seconds.
const defaultStopTimeout = 10

// StopProbe is what StopTimeout asks the engine.
type StopProbe interface {
	ServerVersion(ctx context.Context) (types.Version, error)
	ContainerInspect(ctx context.Context, id string) (container.InspectResponse, error)
}

// Stopper is what stopping containers takes: the container calls, and the
// engine's /version that tells Podman apart (StopTimeout).
type Stopper interface {
	ContainerAPI
	ServerVersion(ctx context.Context) (types.Version, error)
}

// podmanEngines remembers, per client, whether its engine is Podman.
var podmanEngines sync.Map // StopProbe -> bool

// OnPodman reports whether api's engine is Podman (its /version asked once
// per client; an engine that does not answer counts as Docker).
func OnPodman(ctx context.Context, api StopProbe) bool { return isPodmanEngine(ctx, api) }

func isPodmanEngine(ctx context.Context, api StopProbe) bool {
	if p, ok := podmanEngines.Load(api); ok {
		return p.(bool)
	}
	v, err := api.ServerVersion(ctx)
	if err != nil {
		return false // asked again next time
	}
	podmanEngines.Store(api, IsPodman(v))
	return IsPodman(v)
}

// StopTimeout is the timeout, in seconds, to send with a stop or restart of
// container id: timeout when given. Without one, Docker waits the
// container's own stop timeout (stop_grace_period, else 10 s) before it
// kills; Podman 4.3's compatible API kills at once, so on Podman devstack
// sends that timeout itself.
func StopTimeout(ctx context.Context, api StopProbe, id string, timeout *int) *int {
	if timeout != nil || !isPodmanEngine(ctx, api) {
		return timeout
	}
	st, err := api.ContainerInspect(ctx, id)
	if err != nil {
		return timeout // the stop itself will say what is wrong
	}
	t := ownStopTimeout(st.Config)
	return &t
}

// ownStopTimeout is the stop timeout a container was created with; Podman
// reports 0 for none (compose's stop_grace_period: 0s is taken as none too).
// Pure.
func ownStopTimeout(cfg *container.Config) int {
	if cfg == nil || cfg.StopTimeout == nil || *cfg.StopTimeout <= 0 {
		return defaultStopTimeout
	}
	return *cfg.StopTimeout
}

// podmanStopped is the state Podman reports for a container that has exited
// and is not cleaned up yet: between the runs of one it restarts.
const podmanStopped = "stopped"

// DockerState is st as Docker would report it: Podman's "stopped" is
// "restarting" when the restart policy restarts the container (a crash
// loop spends most of its time there), else "exited". Pure.
func DockerState(st container.InspectResponse) container.InspectResponse {
	if st.State == nil || st.State.Status != podmanStopped {
		return st
	}
	s := *st.State
	s.Status = "exited"
	if st.ContainerJSONBase != nil && st.HostConfig != nil && restarts(st.HostConfig.RestartPolicy, s.ExitCode, st.RestartCount) {
		s.Status, s.Restarting = "restarting", true
	}
	st.State = &s
	return st
}

// restarts says whether the policy restarts a container that exited with
// code after restarted restarts. Pure.
func restarts(p container.RestartPolicy, code, restarted int) bool {
	switch p.Name {
	case container.RestartPolicyAlways, container.RestartPolicyUnlessStopped:
		return true
	case container.RestartPolicyOnFailure:
		return code != 0 && (p.MaximumRetryCount == 0 || restarted < p.MaximumRetryCount)
	}
	return false
}
