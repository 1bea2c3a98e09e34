package watchd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/devstack/devstack/internal/lock"
)

// Claim makes this process the project's one watcher: it takes the
// watcher lock, which the kernel releases when the process ends however it
// ends. Another watcher running is ErrRunning, saying which and how to
// see or stop it. The returned function lets go.
func Claim(ctx context.Context, p Place, background bool) (func(), error) {
	if err := os.MkdirAll(p.Root, 0o700); err != nil {
		return nil, fmt.Errorf("watch state directory: %w", err)
	}
	verb := "devstack watch"
	if background {
		verb += " (in the background)"
	}
	release, err := lock.Acquire(ctx, lock.Options{
		Dir: p.Root, Endpoint: p.Endpoint, Project: p.Project,
		Me: lock.Holder{Command: verb, PID: os.Getpid()},
		// Read probes the lock for an instant: allow for one.
		Wait: 300 * time.Millisecond, Poll: 20 * time.Millisecond,
	})
	if errors.Is(err, lock.ErrHeld) {
		return nil, Refusal(p)
	}
	return release, err
}

// Refusal is the error for a second watcher of the project.
func Refusal(p Place) error {
	st, err := Read(p)
	if err != nil || !st.Running {
		return fmt.Errorf("%w for project %s (devstack watch --status shows it, devstack watch --stop ends it)", ErrRunning, p.Project)
	}
	return fmt.Errorf("%w for project %s: %s (devstack watch --stop ends it)", ErrRunning, p.Project, st.Describe(time.Now()))
}
