package engine

import "github.com/compose-spec/compose-go/v2/types"

// withProxies is env over the proxy variables, in a new map. Pure.
func withProxies(proxies, env types.MappingWithEquals) types.MappingWithEquals {
	if len(proxies) == 0 {
		return env
	}
	out := types.MappingWithEquals{}
	for k, v := range proxies {
		out[k] = v
	}
	for k, v := range env {
		out[k] = v
	}
	return out
}
