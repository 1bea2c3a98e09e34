package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/lock"
)

// lock takes the project's lock on this engine for a command that changes
// the project (up, down, start, ...): one devstack at a time per project, so
// two concurrent `up` never create the same network or container twice.
// A second one waits (--wait-lock), saying once for whom. Read-only commands
// never take it. The returned function releases it; exiting does too.
func (g *globals) lock(ctx context.Context, project, verb string) (func(), error) {
	ep, err := dockerapi.ResolveEndpoint(g.context) // the engine the command will use: --context, DOCKER_HOST, ...
	if err != nil {
		return nil, err
	}
	return lock.Acquire(ctx, lock.Options{
		Endpoint: ep.Host,
		Project:  project,
		Me:       lock.Holder{Command: "devstack " + verb, PID: os.Getpid()},
		Wait:     g.waitLock,
		OnWait: func(h lock.Holder) {
			fmt.Fprintf(g.stderr, "waiting for %s on project %s\n", h, project)
		},
	})
}
