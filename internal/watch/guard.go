package watch

import (
	"sync"
	"time"
)

// DefaultLoopLimit is how many reloads of one service within a minute
// make the guard pause it: far above a person saving files, well below a
// service rewriting its own watched files in a loop.
const DefaultLoopLimit = 60

// loopGuard pauses a service whose reloads keep firing (a service writing
// into its own watched directory reloads itself forever). After the pause
// the service resumes, and its triggers are resynced.
type loopGuard struct {
	clock  Clock
	limit  int
	window time.Duration // reloads are counted over this window
	pause  time.Duration

	mu     sync.Mutex
	hits   map[string][]time.Time
	paused map[string]time.Time // service -> resume time
}

func newLoopGuard(clock Clock, limit int) *loopGuard {
	if limit <= 0 {
		limit = DefaultLoopLimit
	}
	return &loopGuard{clock: clock, limit: limit, window: time.Minute, pause: time.Minute,
		hits: map[string][]time.Time{}, paused: map[string]time.Time{}}
}

// verdict of the guard for one reload.
type verdict int

const (
	allow      verdict = iota
	allowAgain         // allowed, and the service just came out of a pause
	pauseNow           // this reload is one too many: the service is paused from now
	paused             // the service is paused: drop the reload
)

// check records a reload of service and says whether it may run.
func (g *loopGuard) check(service string) verdict {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.clock.Now()
	resumed := false
	if until, ok := g.paused[service]; ok {
		if now.Before(until) {
			return paused
		}
		delete(g.paused, service)
		g.hits[service] = nil
		resumed = true
	}
	hits := g.hits[service]
	keep := hits[:0]
	for _, t := range hits {
		if now.Sub(t) < g.window {
			keep = append(keep, t)
		}
	}
	keep = append(keep, now)
	g.hits[service] = keep
	if len(keep) > g.limit {
		g.paused[service] = now.Add(g.pause)
		return pauseNow
	}
	if resumed {
		return allowAgain
	}
	return allow
}
