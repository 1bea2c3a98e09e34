package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/muesli/termenv"
	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/compose"
	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/feed"
	"github.com/devstack/devstack/internal/feed/enginefeed"
	"github.com/devstack/devstack/internal/feed/swarmfeed"
	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/tui"
)

var errNoTerminal = errors.New("the dashboard needs a terminal; use `devstack logs -f` and `devstack ps` instead")

type dashFlags struct {
	ring    int
	tail    int
	noColor bool
	stack   bool          // a deployed stack, not devstack up's containers
	poll    time.Duration // how often a deployed stack's tasks are listed
	kube    kubeTarget    // --kubernetes: the project deployed on a Kubernetes cluster
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
have no events, are listed every --poll.

With --kubernetes it shows the project deployed by deploy --kubernetes
(--context and --namespace as there): each workload with its kind, ready
replicas of those wanted, image, rollout and node ports; its pods with
node, phase, restarts and address; the project's Events and restarts as
they happen; and the pods' logs. The devstack-kube helper watches each
kind of object once and streams every change: nothing is polled.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if err := f.kube.check(); err != nil {
				return err
			}
			if f.kube.on {
				return kubeDash(ctx, g, f)
			}
			return g.onProject(ctx, nil, "", func(ctx context.Context, api dockerapi.API, name string) error {
				if sapi, ok := api.(swarmfeed.API); ok {
					if swarmfeed.IsStack(ctx, sapi, name) {
						src := swarmfeed.New(sapi, logs.NewStackMonitor(api, name), name, f.tail)
						f.stack = true
						return runDash(ctx, g, api, nil, name, f, func(ctx context.Context, out chan<- feed.Batch) {
							feed.RunStack(ctx, src, feed.StackOptions{Poll: f.poll}, out)
						}, false, nil)
					}
				}
				mon := logs.NewMonitor(api, name)
				return runDash(ctx, g, api, mon, name, f, containerFeed(enginefeed.New(api, mon, name, time.Time{}, f.tail)), false, nil)
			})
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&f.ring, "log-lines", tui.DefaultRingSize, "log lines kept per service")
	fl.IntVar(&f.tail, "tail", 500, "lines of each service's earlier output to show")
	fl.BoolVar(&f.noColor, "no-color", false, "no colours")
	fl.DurationVar(&f.poll, "poll", 2*time.Second, "on a deployed stack, how often its tasks are listed (the engine has no events for tasks; its service and node events refresh at once)")
	f.kube.add(cmd)
	return cmd
}

// runDash shows the dashboard until the person quits; then it stops the
// stack if they asked to, or takes it down when downOnExit. also, when
// set, runs beside it (up --watch) and what it writes shows on the
// dashboard's events line.
func runDash(ctx context.Context, g *globals, api dockerapi.API, mon *logs.Monitor, project string, f dashFlags, run feedRunner, downOnExit bool, also func(ctx context.Context, events progress.Progress)) error {
	if !isTerminal(g.stdout) || !isTerminal(g.stdin) {
		return errNoTerminal
	}
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan feed.Batch)
	go run(fctx, batches)
	if !f.stack {
		go watchStatusFeed(fctx, g, project, batches)
	}
	if also != nil {
		go also(fctx, feed.Progress{Done: fctx.Done(), Out: batches})
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
	o.Open = tui.OpenURL
	if f.kube.on {
		o.Peer = "cluster"
	}
	if api != nil { // a Kubernetes deployment's dashboard needs no engine
		o.URLs = projectURLs(ctx, api, project)
	}
	o.Copy = func(text string) error {
		termenv.NewOutput(g.stdout).Copy(text)
		return nil
	}
	acts := apply.ServiceActions{API: api, Monitor: mon, Project: project, Images: g.images(apply.ImageOptions{Build: true}),
		Resolve: func(ctx context.Context, service string) (full, selected *types.Project, err error) {
			r, err := compose.Resolve(ctx, g.Options, []string{service})
			return r.Full, r.Selected, err
		},
	}
	logrus.SetOutput(io.Discard) // the compose loader's warnings would scribble over the screen
	refresh := func(context.Context) {}
	if api != nil {
		refresh = quietRefresh(api, project)
	}
	res, err := tui.Run(ctx, o, routedActions{acts, refresh}, g.stdin, g.stdout)
	logrus.SetOutput(g.stderr)
	cancel()
	if err != nil {
		return err
	}
	out := g.printer()
	switch {
	case downOnExit:
		return apply.Down(context.WithoutCancel(ctx), api, project, apply.DownOptions{}, out)
	case res.StopStack:
		return containers.Stop(context.WithoutCancel(ctx), api, project, nil, nil, out)
	case f.kube.on:
		fmt.Fprintf(g.stderr, "The project keeps running on the cluster: `devstack dash --kubernetes` shows it again.\n")
		return nil
	case f.stack:
		fmt.Fprintf(g.stderr, "The stack keeps running on the swarm: `devstack dash` shows it again.\n")
		return nil
	}
	fmt.Fprintf(g.stderr, "The stack keeps running: `devstack dash` shows it again, `devstack down` removes it.\n")
	return nil
}

// upDashboard is attached `up` on a terminal: the dashboard, with logs from
// the moment up started.
func upDashboard(ctx context.Context, g *globals, api dockerapi.API, mon *logs.Monitor, p *types.Project, started time.Time, uf upFlags) error {
	f := dashFlags{ring: uf.logLines, noColor: uf.noColor}
	var also func(context.Context, progress.Progress)
	if uf.watch {
		also = func(ctx context.Context, events progress.Progress) { upWatch(ctx, g, api, p, uf, events) }
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
