package stack

import (
	"fmt"

	"github.com/docker/docker/api/types/swarm"
	"github.com/docker/docker/api/types/versions"
)

// Engine API versions that first carry a service field the conversion may
// set. Debian's engine 20.10 speaks 1.41, which carries every other one
// (jobs, ulimits, capabilities, pids, sysctls, max_replicas_per_node).
const (
	apiStartInterval = "1.44" // Healthcheck.StartInterval
	apiBindReadOnly  = "1.44" // BindOptions.ReadOnlyNonRecursive, ReadOnlyForceRecursive
	apiSubpath       = "1.45" // VolumeOptions.Subpath
	apiOomScoreAdj   = "1.46" // ContainerSpec.OomScoreAdj
)

// fitAPI drops what Options.APIVersion cannot carry, with a warning: an
// older engine would ignore the field without a word. An empty version
// is taken to carry everything.
func (c *converter) fitAPI(service string, spec *swarm.ServiceSpec) {
	cs := spec.TaskTemplate.ContainerSpec
	drop := func(key, needs string, set bool, clear func()) {
		if !set || c.apiVersion == "" || versions.GreaterThanOrEqualTo(c.apiVersion, needs) {
			return
		}
		clear()
		c.warn(service, key, fmt.Sprintf("needs engine API %s (the engine speaks %s); ignored", needs, c.apiVersion))
	}
	if hc := cs.Healthcheck; hc != nil {
		drop("healthcheck.start_interval", apiStartInterval, hc.StartInterval != 0, func() { hc.StartInterval = 0 })
	}
	drop("oom_score_adj", apiOomScoreAdj, cs.OomScoreAdj != 0, func() { cs.OomScoreAdj = 0 })
	for i := range cs.Mounts {
		m := &cs.Mounts[i]
		if b := m.BindOptions; b != nil {
			drop("volumes.bind.recursive", apiBindReadOnly, b.ReadOnlyNonRecursive || b.ReadOnlyForceRecursive, func() {
				b.ReadOnlyNonRecursive, b.ReadOnlyForceRecursive = false, false
			})
		}
		if v := m.VolumeOptions; v != nil {
			drop("volumes.volume.subpath", apiSubpath, v.Subpath != "", func() { v.Subpath = "" })
		}
	}
}
