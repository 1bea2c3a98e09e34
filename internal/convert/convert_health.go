package convert

import (
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
)

// convertHealth maps every healthcheck field; start_interval only where the
// engine's API carries it (1.44), else it is warned about (see warn.go).
// disable: true becomes the NONE test, as docker compose sends it. Pure.
func convertHealth(h *types.HealthCheckConfig, apiVersion string) *container.HealthConfig {
	hc := Health(h)
	if hc != nil && !apiAtLeast(apiVersion, apiStartInterval) {
		hc.StartInterval = 0
	}
	return hc
}
