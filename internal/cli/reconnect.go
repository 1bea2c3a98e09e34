package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/engine"
)

// followLogs runs the log follower until it is done. When the engine goes
// away meanwhile (dockerd restarted: the event stream fails, or every
// container died with it), it says so, waits until the engine answers
// again and follows on from the last line it showed of each container.
func followLogs(ctx context.Context, g *globals, api dockerapi.API, f *engine.LogFollower, sink engine.LogSink) error {
	for {
		err := f.Run(ctx, sink)
		if ctx.Err() != nil {
			return err
		}
		if err == nil && !dockerapi.StopsAnswering(ctx, api, 3*time.Second) {
			return nil // done: the containers stopped, the engine did not
		}
		why := "it stopped answering"
		if err != nil {
			why = err.Error()
		}
		fmt.Fprintf(g.stderr, "devstack: the Docker engine went away (%s); reconnecting when it is back\n", why)
		time.Sleep(time.Second) // a restart takes a moment; do not ask a closing engine
		if err := dockerapi.AwaitEngine(ctx, api, 500*time.Millisecond); err != nil {
			return err
		}
		fmt.Fprintln(g.stderr, "devstack: the Docker engine is back; following the logs from where they stopped")
	}
}
