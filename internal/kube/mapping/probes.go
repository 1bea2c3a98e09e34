package mapping

import (
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
)

// Compose's healthcheck defaults (the engine's).
const (
	defaultInterval = 30 * time.Second
	defaultTimeout  = 30 * time.Second
	defaultRetries  = 3
)

// probes maps the healthcheck to exec readiness and liveness probes, and
// start_period to a startup probe that holds both off until it passes.
func (m *mapper) probes(s types.ServiceConfig, c *corev1.Container) {
	if !hasHealthcheck(s) {
		return
	}
	h := s.HealthCheck
	var cmd []string
	switch h.Test[0] {
	case "CMD":
		cmd = h.Test[1:]
	case "CMD-SHELL":
		cmd = []string{"/bin/sh", "-c", h.Test[1]}
	default:
		cmd = h.Test
	}
	interval, timeout := durationOr(h.Interval, defaultInterval), durationOr(h.Timeout, defaultTimeout)
	retries := int32(defaultRetries)
	if h.Retries != nil {
		retries = int32(max(*h.Retries, 1))
	}
	if interval%time.Second != 0 || timeout%time.Second != 0 {
		m.note(s.Name, "healthcheck", "interval and timeout rounded up to whole seconds, the probes' unit")
	}
	probe := func(failures int32, period time.Duration) *corev1.Probe {
		return &corev1.Probe{
			ProbeHandler:     corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: cmd}},
			PeriodSeconds:    roundUpSeconds(types.Duration(period)),
			TimeoutSeconds:   roundUpSeconds(types.Duration(timeout)),
			FailureThreshold: failures,
		}
	}
	c.ReadinessProbe = probe(retries, interval)
	c.LivenessProbe = probe(retries, interval)
	if h.StartPeriod != nil && *h.StartPeriod > 0 {
		period := durationOr(h.StartInterval, interval)
		p := roundUpSeconds(types.Duration(period))
		n := (roundUpSeconds(*h.StartPeriod) + p - 1) / p
		c.StartupProbe = probe(n+retries, period)
	}
}

func durationOr(d *types.Duration, def time.Duration) time.Duration {
	if d == nil || *d == 0 {
		return def
	}
	return time.Duration(*d)
}
