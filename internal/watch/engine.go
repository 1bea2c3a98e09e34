package watch

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/devstack/devstack/internal/dockerapi"
)

// enginePoll is how often watch asks whether the engine still answers.
const enginePoll = 2 * time.Second

// followEngine notices the engine going away (dockerd stopped or
// restarted): it says so, and changes wait in the queue meanwhile; once
// the engine answers again it says so and syncs every sync trigger's files
// again (what changed while it was away, and what its restart may have
// lost: see catchUpAgain), then handles what waited. It returns when ctx ends.
func (r *runner) followEngine(ctx context.Context, away *atomic.Bool) {
	t := time.NewTicker(enginePoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		up := dockerapi.EngineAnswers(ctx, r.api)
		switch {
		case ctx.Err() != nil:
			return
		case !up && !away.Load():
			away.Store(true)
			say(r.out, "the Docker engine went away; changes wait until it is back")
		case up && away.Load():
			say(r.out, "the Docker engine is back; syncing the watched files again")
			r.resyncFiles(ctx)
			away.Store(false)
			select {
			case r.wake <- struct{}{}:
			default:
			}
		}
	}
}

// resyncFiles catches every synced container up with the host's files
// (see catchUpAgain): what changed while the engine was away, and what
// its restart may have lost.
func (r *runner) resyncFiles(ctx context.Context) {
	go r.requestCatchUp(ctx, nil)
}
