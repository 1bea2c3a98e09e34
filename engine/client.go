package engine

import (
	"context"
	"fmt"
	"os"

	"github.com/docker/docker/client"
)

// Connect opens a client that negotiates the API version down to what the
// engine speaks, and checks that the engine answers.
func Connect(ctx context.Context) (*client.Client, error) {
	c, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDaemonUnreachable, err)
	}
	ping, err := c.Ping(ctx)
	if err != nil {
		_ = c.Close()
		host := os.Getenv("DOCKER_HOST")
		if host == "" {
			host = client.DefaultDockerHost
		}
		return nil, fmt.Errorf("%w at %s: %v\nStart it (e.g. `sudo systemctl start docker`, or `sudo dockerd &`) or point DOCKER_HOST at a running engine", ErrDaemonUnreachable, host, err)
	}
	c.NegotiateAPIVersionPing(ping) // one round trip for both the check and the negotiation
	return c, nil
}
