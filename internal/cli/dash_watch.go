package cli

import (
	"context"
	"os"
	"time"

	"github.com/devstack/devstack/internal/feed"
	"github.com/devstack/devstack/internal/watchd"
)

// watchStatusFeed tells the dashboard, every second, whether a watcher runs
// for the project and its services' watch states (from its status file:
// a background watcher is another process). The watcher of up --watch,
// in this process, is left out: its states come in as events, and the
// title line says "watching" without a pid.
func watchStatusFeed(ctx context.Context, g *globals, project string, out chan<- feed.Batch) {
	place, err := g.watchPlace(project)
	if err != nil {
		return
	}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	last := "-"
	for {
		st, err := watchd.Read(place)
		self := st.Running && st.PID == os.Getpid() // up --watch: its watch sends its states itself
		if err == nil && !self {
			marker := ""
			if st.Running {
				marker = watchMarkerOf(st)
			}
			b := feed.Batch{}
			if marker != last {
				b.Watcher, last = &marker, marker
			}
			if st.Running && st.Background {
				for name, s := range st.Services {
					b.Watch = append(b.Watch, feed.ServiceWatch{Service: name, WatchState: s})
				}
			}
			if b.Watcher != nil || len(b.Watch) > 0 {
				select {
				case out <- b:
				case <-ctx.Done():
					return
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
