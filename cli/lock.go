package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/docker/docker/client"

	"github.com/devstack/devstack/lock"
)

// lock takes the project's lock on this engine for a command that changes
// the project (up, down, start, ...): one devstack at a time per project, so
// two concurrent `up` never create the same network or container twice.
// A second one waits (--wait-lock), saying once for whom. Read-only commands
// never take it. The returned function releases it; exiting does too.
func (g *globals) lock(ctx context.Context, project, verb string) (func(), error) {
	endpoint := os.Getenv("DOCKER_HOST")
	if endpoint == "" {
		endpoint = client.DefaultDockerHost
	}
	return lock.Acquire(ctx, lock.Options{
		Endpoint: endpoint,
		Project:  project,
		Me:       lock.Holder{Command: "devstack " + verb, PID: os.Getpid()},
		Wait:     g.waitLock,
		OnWait: func(h lock.Holder) {
			fmt.Fprintf(g.stderr, "waiting for %s on project %s\n", h, project)
		},
	})
}
