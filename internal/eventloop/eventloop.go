// Package eventloop is the one loop over an event subscription as logs'
// Monitor and the dashboard's sources hand them out: a channel of events
// that closes when the stream ends, and an error channel that then yields
// why. The log follower (logs) and the dashboard's feeds (feed) use it. It
// imports only the standard library, so that feed (and the dashboard)
// stay free of the Docker client.
package eventloop

import (
	"context"
	"errors"
)

// Run calls on for each event until ctx ends (it returns ctx's error), the
// stream ends (it returns what errs then yields: why), or on returns an
// error (it returns it; nil for Stop).
func Run[E any](ctx context.Context, evs <-chan E, errs <-chan error, on func(E) error) error {
	return RunWake(ctx, evs, errs, on, (<-chan struct{})(nil), nil)
}

// RunWake is Run that also calls onWake each time wake delivers (a nil
// wake never does): a ticker, or a signal from elsewhere. onWake ends the
// loop as on does.
func RunWake[E, W any](ctx context.Context, evs <-chan E, errs <-chan error, on func(E) error, wake <-chan W, onWake func() error) error {
	for {
		var err error
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev, ok := <-evs:
			if !ok {
				return <-errs
			}
			err = on(ev)
		case <-wake:
			err = onWake()
		}
		if errors.Is(err, Stop) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
