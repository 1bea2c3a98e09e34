package logs

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/devstack/devstack/internal/dockerapi"
)

// RunAcrossRestarts runs the follower until it is done. When the engine
// goes away meanwhile (dockerd restarted: the event stream fails, or every
// container died with it), it says so on notes, waits until the engine
// answers again and follows on from the last line it showed of each
// container.
func (f *Follower) RunAcrossRestarts(ctx context.Context, api dockerapi.Pinger, sink Sink, notes io.Writer) error {
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
		fmt.Fprintf(notes, "devstack: the Docker engine went away (%s); reconnecting when it is back\n", why)
		time.Sleep(time.Second) // a restart takes a moment; do not ask a closing engine
		if err := dockerapi.AwaitEngine(ctx, api, 500*time.Millisecond); err != nil {
			return err
		}
		fmt.Fprintln(notes, "devstack: the Docker engine is back; following the logs from where they stopped")
	}
}
