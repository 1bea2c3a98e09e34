package engine

import (
	"context"
	"fmt"

	"github.com/docker/docker/client"
)

// Connect opens a client to the engine of the docker context named by flag
// (or, when empty, the one the docker CLI would use), negotiates the API
// version down to what the engine speaks, and checks that it answers.
func Connect(ctx context.Context, flag string) (*client.Client, Endpoint, error) {
	ep, err := ResolveEndpoint(flag)
	if err != nil {
		return nil, ep, err
	}
	c, err := client.NewClientWithOpts(ep.opts...)
	if err != nil {
		return nil, ep, fmt.Errorf("%w at %s: %v", ErrDaemonUnreachable, ep, err)
	}
	ping, err := c.Ping(ctx)
	if err != nil {
		_ = c.Close()
		return nil, ep, fmt.Errorf("%w at %s: %v\n%s", ErrDaemonUnreachable, ep, err, unreachableHint(ep))
	}
	c.NegotiateAPIVersionPing(ping) // one round trip for both the check and the negotiation
	return c, ep, nil
}

func unreachableHint(ep Endpoint) string {
	if ep.Context != DefaultContext {
		return fmt.Sprintf("Start the engine of docker context %q, or choose another one (--context NAME, DOCKER_CONTEXT, docker context use)", ep.Context)
	}
	return "Start it (e.g. `sudo systemctl start docker`, or `sudo dockerd &`), point DOCKER_HOST at a running engine, or choose a docker context (--context NAME)"
}
