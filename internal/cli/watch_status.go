package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/devstack/devstack/internal/watchd"
)

// watchStatus says whether a watcher runs for the project, and how each
// service's watch is.
func watchStatus(ctx context.Context, g *globals) error {
	name, err := g.projectName(ctx)
	if err != nil {
		return err
	}
	place, err := g.watchPlace(name)
	if err != nil {
		return err
	}
	st, err := watchd.Read(place)
	if err != nil {
		return err
	}
	now := time.Now()
	if !st.Running {
		fmt.Fprintf(g.stdout, "watcher of project %s: not running\n", name)
		if st.Log != "" {
			fmt.Fprintf(g.stdout, "last log: %s\n", st.Log)
		}
		return nil
	}
	fmt.Fprintf(g.stdout, "watcher of project %s: %s\n", name, st.Describe(now))
	for _, l := range st.ServiceLines(now) {
		fmt.Fprintf(g.stdout, "  %s\n", l)
	}
	return nil
}

// watchStop ends the project's watcher and waits for it to exit.
func watchStop(ctx context.Context, g *globals) error {
	name, err := g.projectName(ctx)
	if err != nil {
		return err
	}
	st, err := stopWatcher(ctx, g, name)
	if err == nil && !st.Running {
		fmt.Fprintf(g.stderr, "watch: no watcher runs for project %s\n", name)
	}
	return err
}

// stopWatcher ends the project's watcher, if one runs, saying so (down
// does this first).
func stopWatcher(ctx context.Context, g *globals, project string) (watchd.Status, error) {
	place, err := g.watchPlace(project)
	if err != nil {
		return watchd.Status{}, err
	}
	st, err := watchd.Stop(ctx, place, 10*time.Second)
	if err == nil && st.Running {
		fmt.Fprintf(g.stderr, "watch: stopped the watcher of project %s (pid %d)\n", project, st.PID)
	}
	return st, err
}

// watchMarker is "watching" with the pid when a watcher runs for the
// project, for ps, ls and the dashboard; "" otherwise.
func watchMarker(g *globals, project string) string {
	place, err := g.watchPlace(project)
	if err != nil {
		return ""
	}
	st, err := watchd.Read(place)
	if err != nil || !st.Running {
		return ""
	}
	return watchMarkerOf(st)
}

func watchMarkerOf(st watchd.Status) string { return fmt.Sprintf("watching (pid %d)", st.PID) }
