package convert

import (
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/versions"
)

// Engine API versions that first carry a field devstack sets. Debian's
// engine 20.10 speaks 1.41.
const (
	apiAnnotations   = "1.43" // HostConfig.Annotations
	apiStartInterval = "1.44" // Healthcheck.StartInterval
	apiEndpointMAC   = "1.44" // EndpointSettings.MacAddress (one per network)
	apiGwPriority    = "1.48" // EndpointSettings.GwPriority
)

// apiAtLeast reports whether the negotiated API version carries a field
// added in want. An unknown version ("") is taken to carry everything.
func apiAtLeast(have, want string) bool {
	return have == "" || versions.GreaterThanOrEqualTo(have, want)
}

// apiKey is a key a service sets that the engine's API version cannot carry.
type apiKey struct {
	Key   string // e.g. healthcheck.start_interval
	Needs string // the API version that carries it, e.g. 1.44
}

// keysNeedingAPI lists the keys of s that the negotiated API version
// cannot carry, so they are dropped with a warning rather than silently.
// Pure.
func keysNeedingAPI(s types.ServiceConfig, apiVersion string) []apiKey {
	var out []apiKey
	need := func(key, version string) {
		if !apiAtLeast(apiVersion, version) {
			out = append(out, apiKey{key, version})
		}
	}
	if len(s.Annotations) > 0 {
		need("annotations", apiAnnotations)
	}
	if s.HealthCheck != nil && s.HealthCheck.StartInterval != nil {
		need("healthcheck.start_interval", apiStartInterval)
	}
	out = append(out, mountKeysNeedingAPI(s, apiVersion)...)
	primary := primaryNetwork(s)
	for _, key := range sortedNames(s.Networks) {
		n := s.Networks[key]
		if n == nil {
			continue
		}
		if n.MacAddress != "" && key != primary {
			need("networks."+key+".mac_address", apiEndpointMAC)
		}
		if n.GatewayPriority != 0 {
			need("networks."+key+".gw_priority", apiGwPriority)
		}
	}
	return out
}

// primaryNetwork is the network the container is created on: the one of
// highest priority, as docker compose picks it.
func primaryNetwork(s types.ServiceConfig) string {
	if s.NetworkMode != "" || len(s.Networks) == 0 {
		return ""
	}
	return s.NetworksByPriority()[0]
}
