package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/watch"
	"github.com/devstack/devstack/internal/watchd"
)

// The background watcher ends by itself once its project has had no
// containers for goneAfter (down, or another tool removed them).
const (
	goneEvery = 2 * time.Second
	goneAfter = 10 * time.Second
)

// watchPlace is where the project's watcher keeps its lock, status and log
// for the engine this command uses.
func (g *globals) watchPlace(project string) (watchd.Place, error) {
	ep, err := dockerapi.ResolveEndpoint(g.context)
	if err != nil {
		return watchd.Place{}, err
	}
	return watchd.At("", ep.Host, project)
}

// runWatcher is `devstack watch` in the foreground: the project's one
// watcher. As the process -d starts (background) it also ignores SIGHUP,
// stamps its log lines and ends once the project is gone.
func runWatcher(ctx context.Context, g *globals, p *types.Project, o watch.Options, background bool) error {
	if background {
		watchd.IgnoreHangup()
		g.stderr = &stampWriter{w: g.stderr}
	}
	api, err := g.client(ctx)
	if err != nil {
		return err
	}
	defer api.Close()
	if routerProject(g, p) {
		if err := offerCA(g, api, p); err != nil {
			return err
		}
	}
	if background {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		go func() {
			count := func(ctx context.Context) (int, error) {
				cs, err := containers.Observe(ctx, api, p.Name)
				return len(cs), err
			}
			if watchd.UntilGone(ctx, count, goneEvery, goneAfter, time.Now) {
				g.printer().Event(progress.Event{Kind: progress.KindWatch, Detail: fmt.Sprintf("project %s has had no containers for %s: the watcher ends", p.Name, goneAfter)})
				cancel()
			}
		}()
	}
	return claimAndRun(ctx, g, api, p, o, g.printer(), background)
}

// claimAndRun makes this process the project's watcher (a second one is
// refused), keeps its status file while it watches, and watches.
func claimAndRun(ctx context.Context, g *globals, api dockerapi.API, p *types.Project, o watch.Options, out progress.Progress, background bool) error {
	place, err := g.watchPlace(p.Name)
	if err != nil {
		return err
	}
	release, err := watchd.Claim(ctx, place, background)
	if err != nil {
		return err
	}
	defer release()
	book, err := watchd.NewBook(place, background, out)
	if err != nil {
		return fmt.Errorf("watch status: %w", err)
	}
	defer book.Remove()
	return watch.Run(ctx, api, p, o, book)
}

// refuseSecondWatcher fails when a watcher already runs for the project,
// before anything else is done.
func refuseSecondWatcher(g *globals, project string) error {
	place, err := g.watchPlace(project)
	if err != nil {
		return err
	}
	if st, err := watchd.Read(place); err == nil && st.Running {
		return watchd.Refusal(place)
	}
	return nil
}

// startBackground launches the project's watcher detached from the
// terminal (`watch -d`, `up -d --watch`) and returns once it watches.
func startBackground(ctx context.Context, g *globals, p *types.Project, f watchFlags, services []string) error {
	if err := refuseSecondWatcher(g, p.Name); err != nil {
		return err
	}
	if _, err := f.options(g); err != nil {
		return err // a bad DEVSTACK_WATCH_POLL, said here and not in the log
	}
	place, err := g.watchPlace(p.Name)
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	args := append(g.globalArgs(p), "watch", "--background-child")
	args = append(append(args, f.args()...), services...)
	cwd, _ := os.Getwd()
	st, err := watchd.Start(ctx, place, watchd.StartOptions{Exe: exe, Args: args, Env: os.Environ(), Dir: cwd})
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stderr, "watch: watching in the background (pid %d), log %s\n", st.PID, st.Log)
	fmt.Fprintf(g.stderr, "watch: devstack watch --status shows it; devstack watch --stop or devstack down ends it\n")
	return nil
}

// globalArgs are the global flags that make another devstack load the same
// project on the same engine (DOCKER_HOST and -H travel in the environment).
func (g *globals) globalArgs(p *types.Project) []string {
	args := []string{"-p", p.Name, "--project-directory", p.WorkingDir}
	for _, f := range p.ComposeFiles {
		args = append(args, "-f", f)
	}
	for _, e := range g.EnvFiles {
		if a, err := filepath.Abs(e); err == nil {
			e = a
		}
		args = append(args, "--env-file", e)
	}
	for _, pr := range g.Profiles {
		args = append(args, "--profile", pr)
	}
	if g.context != "" {
		args = append(args, "--context", g.context)
	}
	return args
}

// stampWriter starts each line with the time: a background watcher's log.
type stampWriter struct {
	w   interface{ Write([]byte) (int, error) }
	mid bool // within a line
}

func (s *stampWriter) Write(b []byte) (int, error) {
	n := len(b)
	for len(b) > 0 {
		if !s.mid {
			if _, err := s.w.Write([]byte(time.Now().Format("15:04:05.000") + " ")); err != nil {
				return 0, err
			}
		}
		i := indexNewline(b)
		line := b
		if i >= 0 {
			line = b[:i+1]
		}
		if _, err := s.w.Write(line); err != nil {
			return 0, err
		}
		s.mid = i < 0
		b = b[len(line):]
	}
	return n, nil
}

func indexNewline(b []byte) int {
	for i, c := range b {
		if c == '\n' {
			return i
		}
	}
	return -1
}
