package engine

import (
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
)

// convertHealth maps every healthcheck field; start_interval only where the
// engine's API carries it (1.44), else it is warned about (see warn.go).
// disable: true becomes the NONE test, as docker compose sends it. Pure.
func convertHealth(h *types.HealthCheckConfig, apiVersion string) *container.HealthConfig {
	if h == nil {
		return nil
	}
	d := func(v *types.Duration) time.Duration {
		if v == nil {
			return 0
		}
		return time.Duration(*v)
	}
	hc := &container.HealthConfig{
		Test:        h.Test,
		Interval:    d(h.Interval),
		Timeout:     d(h.Timeout),
		StartPeriod: d(h.StartPeriod),
	}
	if h.Disable {
		hc.Test = []string{"NONE"}
	}
	if h.Retries != nil {
		hc.Retries = int(*h.Retries)
	}
	if apiAtLeast(apiVersion, apiStartInterval) {
		hc.StartInterval = d(h.StartInterval)
	}
	return hc
}
