package convert

import (
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
)

// The conversions here are the ones a container (ContainerSpec) and a swarm
// service (package stack) both take, so the two cannot drift apart.

// Health maps every healthcheck field; disable: true becomes the NONE
// test, as docker compose sends it. Callers drop what their engine's API
// version cannot carry (start_interval needs 1.44).
func Health(h *types.HealthCheckConfig) *container.HealthConfig {
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
		Test:          h.Test,
		Interval:      d(h.Interval),
		Timeout:       d(h.Timeout),
		StartPeriod:   d(h.StartPeriod),
		StartInterval: d(h.StartInterval),
	}
	if h.Disable {
		hc.Test = []string{"NONE"}
	}
	if h.Retries != nil {
		hc.Retries = int(*h.Retries)
	}
	return hc
}

// BindOptions maps a bind's propagation and recursive keys; nil without a
// bind section.
func BindOptions(b *types.ServiceVolumeBind) *mount.BindOptions {
	if b == nil {
		return nil
	}
	o := &mount.BindOptions{Propagation: mount.Propagation(b.Propagation)}
	switch b.Recursive {
	case "disabled":
		o.NonRecursive = true
	case "writable":
		o.ReadOnlyNonRecursive = true
	case "readonly":
		o.ReadOnlyForceRecursive = true
	}
	return o
}
