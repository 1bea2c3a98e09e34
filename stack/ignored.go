package stack

import "github.com/compose-spec/compose-go/v2/types"

// serviceWarnings names the service keys that have no meaning on a swarm.
func (c *converter) serviceWarnings(s types.ServiceConfig) {
}
