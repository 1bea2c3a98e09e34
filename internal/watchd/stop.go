package watchd

import (
	"context"
	"fmt"
	"time"

	"github.com/devstack/devstack/internal/lock"
)

// Stop ends the project's watcher, if one runs: SIGTERM, then SIGKILL
// after grace, and waits until it is gone (its lock let go). It returns
// the status of the watcher it stopped (Running false: none ran).
func Stop(ctx context.Context, p Place, grace time.Duration) (Status, error) {
	st, err := Read(p)
	if err != nil || !st.Running {
		return st, err
	}
	if st.PID == 0 {
		return st, fmt.Errorf("a watcher holds %s but did not say its pid", p.Lock)
	}
	if err := terminate(st.PID); err != nil {
		return st, fmt.Errorf("stop the watcher (pid %d): %w", st.PID, err)
	}
	if gone(ctx, p, st.PID, grace) {
		return st, nil
	}
	_ = kill(st.PID)
	if gone(ctx, p, st.PID, 5*time.Second) {
		return st, nil
	}
	if ctx.Err() != nil {
		return st, ctx.Err()
	}
	return st, fmt.Errorf("the watcher (pid %d) did not end", st.PID)
}

// gone waits up to d for the watcher's lock to be let go and its
// process to end.
func gone(ctx context.Context, p Place, pid int, d time.Duration) bool {
	end := time.Now().Add(d)
	for {
		held, _, err := lock.Held(p.Lock)
		if err == nil && !held && !alive(pid) {
			return true
		}
		if time.Now().After(end) {
			return false
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(30 * time.Millisecond):
		}
	}
}
