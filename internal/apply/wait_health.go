package apply

import (
	"fmt"
	"time"

	"github.com/docker/docker/api/types/container"
)

// The engine's healthcheck defaults (docker run's and the API's).
const (
	defaultHealthInterval = 30 * time.Second
	defaultHealthRetries  = 3
	// healthMargin is what the bound allows beyond the healthcheck's own
	// schedule: the first probe's run time, a loaded machine.
	healthMargin = 5 * time.Second
)

// HealthBound is how long after its start a container with this
// healthcheck must have a probe result from the engine: its start period
// plus interval x retries, plus a margin. An engine that has run none by
// then runs none at all (Podman without systemd timers).
func HealthBound(h *container.HealthConfig) time.Duration {
	if h == nil {
		return 0
	}
	interval, retries := h.Interval, h.Retries
	if interval <= 0 {
		interval = defaultHealthInterval
	}
	if retries <= 0 {
		retries = defaultHealthRetries
	}
	return h.StartPeriod + interval*time.Duration(retries) + healthMargin
}

// restartSettle is how long a container that the engine restarts when it
// exits must have run before `up --wait` calls it running: a crash loop's
// container is running for a moment between restarts.
const restartSettle = 2 * time.Second

// unsettled is how much longer a running container with a restart policy
// must run before it counts as running (0: it does now, or has no policy).
func unsettled(st container.InspectResponse, now time.Time) time.Duration {
	if st.HostConfig == nil || st.State == nil {
		return 0
	}
	if p := st.HostConfig.RestartPolicy.Name; p == "" || p == container.RestartPolicyDisabled {
		return 0
	}
	started, err := time.Parse(time.RFC3339Nano, st.State.StartedAt)
	if err != nil {
		return 0
	}
	return max(0, started.Add(restartSettle).Sub(now))
}

// healthNeverRan says, for a container waited on for its health, how long
// is left before the engine's silence means no healthcheck will ever run
// (left > 0), or the sentence that fails the wait when that time is over.
func healthNeverRan(st container.InspectResponse, service string, now time.Time) (left time.Duration, failure error) {
	s := st.State
	if s == nil || s.Health == nil || len(s.Health.Log) > 0 || !s.Running || s.Restarting || st.Config == nil || st.Config.Healthcheck == nil {
		return 0, nil
	}
	started, err := time.Parse(time.RFC3339Nano, s.StartedAt)
	if err != nil || started.IsZero() {
		return 0, nil
	}
	bound := HealthBound(st.Config.Healthcheck)
	if left = started.Add(bound).Sub(now); left > 0 {
		return left, nil
	}
	return 0, fmt.Errorf("%w: %s has a healthcheck but the engine has run none in %s (Podman runs healthchecks only with systemd timers)",
		ErrHealthNeverRan, service, bound.Round(time.Second))
}
