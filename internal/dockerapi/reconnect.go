package dockerapi

import (
	"context"
	"time"

	"github.com/docker/docker/api/types"
)

// Pinger is the engine call that tells whether it answers.
type Pinger interface {
	Ping(ctx context.Context) (types.Ping, error)
}

// AwaitEngine returns once the engine answers a ping (at once when it
// does), polling every poll; or ctx's error.
func AwaitEngine(ctx context.Context, api Pinger, poll time.Duration) error {
	for {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		_, err := api.Ping(pctx)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(poll):
		}
	}
}

// EngineAnswers says whether the engine answers a ping within 2 seconds.
func EngineAnswers(ctx context.Context, api Pinger) bool {
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	_, err := api.Ping(pctx)
	return err == nil
}

// StopsAnswering tells whether the engine stops answering within d (or
// does not answer now). When every container stopped at once, or a
// dependency exited, it tells an engine shutting down (it stops its
// containers before it stops answering) from containers that stopped.
func StopsAnswering(ctx context.Context, api Pinger, d time.Duration) bool {
	for deadline := time.Now().Add(d); ; {
		if !EngineAnswers(ctx, api) {
			return ctx.Err() == nil
		}
		if !time.Now().Before(deadline) {
			return false
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(250 * time.Millisecond):
		}
	}
}
