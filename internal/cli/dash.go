package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/muesli/termenv"
	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/compose"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/engine"
	"github.com/devstack/devstack/internal/feed"
	"github.com/devstack/devstack/internal/feed/enginefeed"
	"github.com/devstack/devstack/internal/feed/swarmfeed"
	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/tui"
	"github.com/devstack/devstack/internal/watch"
)

type dashFlags struct {
	ring    int
	tail    int
	noColor bool
	stack   bool          // a deployed stack, not devstack up's containers
	poll    time.Duration // how often a deployed stack's tasks are listed
}

func newDashCmd(g *globals) *cobra.Command {
	var f dashFlags
	cmd := &cobra.Command{
		Use:   "dash",
		Short: "Dashboard of a running stack: services, health, IPs, ports, logs, live",
		Long: `Open the dashboard on a running stack: its services with state, health,
IP addresses, published ports as URLs, uptime, restarts, CPU and memory, and
their logs, all live from the engine's event and stats streams. Keys act on
the selected service (restart, stop/start, shell); ? lists them. q quits
and leaves the stack running; X stops the stack and quits.

On a swarm manager where the project is deployed as a stack (its services
labelled com.docker.stack.namespace=PROJECT, by devstack deploy or docker
stack deploy), it shows the stack instead: each service's mode, replicas
running of those wanted, image, update state and published ports; under it
its tasks with node, current (and desired) state, error and address per
network; and the services' logs with each line's task and node. The
service and node events of the engine refresh it at once; tasks, which
have no events, are listed every --poll.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return g.onProject(ctx, nil, "", func(ctx context.Context, api dockerapi.API, name string) error {
				if sapi, ok := api.(swarmfeed.API); ok {
					if swarmfeed.IsStack(ctx, sapi, name) {
						src := swarmfeed.New(sapi, engine.NewStackMonitor(api, name), name, f.tail)
						f.stack = true
						return runDash(ctx, g, api, nil, name, f, func(ctx context.Context, out chan<- feed.Batch) {
							feed.RunStack(ctx, src, feed.StackOptions{Poll: f.poll}, out)
						}, false, nil)
					}
				}
				mon := engine.NewMonitor(api, name)
				return runDash(ctx, g, api, mon, name, f, containerFeed(enginefeed.New(api, mon, name, time.Time{}, f.tail)), false, nil)
			})
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&f.ring, "log-lines", tui.DefaultRingSize, "log lines kept per service")
	fl.IntVar(&f.tail, "tail", 500, "lines of each service's earlier output to show")
	fl.BoolVar(&f.noColor, "no-color", false, "no colours")
	fl.DurationVar(&f.poll, "poll", 2*time.Second, "on a deployed stack, how often its tasks are listed (the engine has no events for tasks; its service and node events refresh at once)")
	return cmd
}

// runDash shows the dashboard until the person quits; then it stops the
// stack if they asked to, or takes it down when downOnExit.
// runDash runs the dashboard until it quits. also, when set, runs beside it
// (up --watch) and what it writes shows on the dashboard's events line.
func runDash(ctx context.Context, g *globals, api dockerapi.API, mon *engine.Monitor, project string, f dashFlags, run feedRunner, downOnExit bool, also func(ctx context.Context, events progress.Progress)) error {
	if !isTerminal(g.stdout) || !isTerminal(g.stdin) {
		return fmt.Errorf("the dashboard needs a terminal; use `devstack logs -f` and `devstack ps` instead")
	}
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan feed.Batch)
	go run(fctx, batches)
	if also != nil {
		go also(fctx, dashProgress{done: fctx.Done(), out: batches})
	}
	self, err := os.Executable()
	if err != nil {
		self = "devstack"
	}
	o := tui.Options{
		Project: project, RingSize: f.ring, Color: colorOK(g, f.noColor), Feed: batches,
		Shell: func(service string) *exec.Cmd {
			return exec.Command(self, "-p", project, "exec", service, "sh")
		},
	}
	o.Open = openURL
	o.Copy = func(text string) error {
		termenv.NewOutput(g.stdout).Copy(text)
		return nil
	}
	acts := dashActions{api: api, mon: mon, project: project, opts: g.Options, images: g.images(engine.ImageOptions{Build: true})}
	logrus.SetOutput(io.Discard) // the compose loader's warnings would scribble over the screen
	res, err := tui.Run(ctx, o, acts, g.stdin, g.stdout)
	logrus.SetOutput(g.stderr)
	cancel()
	if err != nil {
		return err
	}
	out := g.printer()
	switch {
	case downOnExit:
		return engine.Down(context.WithoutCancel(ctx), api, project, engine.DownOptions{}, out)
	case res.StopStack:
		return engine.Stop(context.WithoutCancel(ctx), api, project, nil, nil, out)
	case f.stack:
		fmt.Fprintf(g.stderr, "The stack keeps running on the swarm: `devstack dash` shows it again.\n")
		return nil
	}
	fmt.Fprintf(g.stderr, "The stack keeps running: `devstack dash` shows it again, `devstack down` removes it.\n")
	return nil
}

// upDashboard is attached `up` on a terminal: the dashboard, with logs from
// the moment up started.
func upDashboard(ctx context.Context, g *globals, api dockerapi.API, mon *engine.Monitor, p *types.Project, started time.Time, uf upFlags) error {
	f := dashFlags{ring: uf.logLines, noColor: uf.noColor}
	var also func(context.Context, progress.Progress)
	if uf.watch {
		also = func(ctx context.Context, events progress.Progress) {
			if err := watch.Run(ctx, api, p, uf.watchOpts.options(g), events); err != nil && ctx.Err() == nil {
				events.Event(progress.Event{Kind: progress.KindWatch, Detail: fmt.Sprintf("stopped: %v", err)})
			}
		}
	}
	return runDash(ctx, g, api, mon, p.Name, f, containerFeed(enginefeed.New(api, mon, p.Name, started, 0)), uf.downOnExit, also)
}

// feedRunner streams the dashboard's batches until ctx ends.
type feedRunner func(ctx context.Context, out chan<- feed.Batch)

// containerFeed follows the containers of devstack up, with their stats.
func containerFeed(src feed.Source) feedRunner {
	return func(ctx context.Context, out chan<- feed.Batch) {
		feed.Run(ctx, src, feed.Options{Stats: true}, out)
	}
}

// dashProgress shows progress events on the dashboard's events line.
type dashProgress struct {
	done <-chan struct{}
	out  chan<- feed.Batch
}

func (d dashProgress) Event(e progress.Event) {
	if e.Update {
		return
	}
	service := ""
	if e.Kind == progress.KindReload || e.Kind == progress.KindOutput {
		service = e.Name
	}
	select {
	case d.out <- feed.Batch{Events: []feed.Event{{Time: time.Now(), Service: service, Text: e.String()}}}:
	case <-d.done:
	}
}

// dashActions carries out the dashboard's requests with the engine.
type dashActions struct {
	api     dockerapi.API
	mon     *engine.Monitor
	project string
	opts    compose.Options
	images  engine.ImageOptions
}

func (a dashActions) quiet() progress.Progress { return progress.Discard }

func (a dashActions) Restart(ctx context.Context, service string) error {
	return engine.Restart(ctx, a.api, a.project, engine.RestartOptions{Services: []string{service}}, a.quiet())
}

func (a dashActions) Stop(ctx context.Context, service string) error {
	return engine.Stop(ctx, a.api, a.project, []string{service}, nil, a.quiet())
}

func (a dashActions) Start(ctx context.Context, service string) error {
	return engine.Start(ctx, a.api, a.project, []string{service}, a.quiet())
}

func (a dashActions) RestartAll(ctx context.Context) error {
	return engine.Restart(ctx, a.api, a.project, engine.RestartOptions{}, a.quiet())
}

// Recreate builds or pulls the service's image (as its pull_policy says)
// and replaces its containers as up does (the old one renamed aside until
// the new one exists, and back in place when it cannot be made); what it
// depends on is left as it is, or started if it is not running. It needs
// the project's compose file (or the presets) to know the service's
// configuration.
func (a dashActions) Recreate(ctx context.Context, service string) error {
	r, err := compose.Resolve(ctx, a.opts, []string{service})
	if err != nil {
		return err
	}
	if r.Selected.Name != a.project {
		return fmt.Errorf("the compose project here is %s, not %s: run dash from the project's directory", r.Selected.Name, a.project)
	}
	opts := engine.UpOptions{
		PlanOptions:  engine.PlanOptions{Recreate: []string{service}},
		ImageOptions: a.images,
		Known:        append(r.Full.ServiceNames(), r.Full.DisabledServiceNames()...),
	}
	_, err = engine.Up(ctx, a.api, a.mon, r.Selected, opts, a.quiet())
	return err
}

// openURL starts the desktop's opener on url, without waiting for it.
func openURL(url string) error {
	for _, opener := range []string{"xdg-open", "open", "wslview"} {
		path, err := exec.LookPath(opener)
		if err != nil {
			continue
		}
		cmd := exec.Command(path, url)
		if err := cmd.Start(); err != nil {
			return err
		}
		go func() { _ = cmd.Wait() }()
		return nil
	}
	return fmt.Errorf("no browser opener (xdg-open) found")
}
