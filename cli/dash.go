package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/engine"
	"github.com/devstack/devstack/tui"
)

type dashFlags struct {
	ring    int
	tail    int
	noColor bool
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
and leaves the stack running; X stops the stack and quits.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			name, err := g.projectName(ctx)
			if err != nil {
				return err
			}
			api, err := g.client(ctx)
			if err != nil {
				return err
			}
			defer api.Close()
			return runDash(ctx, g, api, name, f, engine.FeedOptions{Tail: f.tail}, false)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&f.ring, "log-lines", tui.DefaultRingSize, "log lines kept per service")
	fl.IntVar(&f.tail, "tail", 500, "lines of each service's earlier output to show")
	fl.BoolVar(&f.noColor, "no-color", false, "no colours")
	return cmd
}

// runDash shows the dashboard until the person quits; then it stops the
// stack if they asked to, or takes it down when downOnExit.
func runDash(ctx context.Context, g *globals, api engine.API, project string, f dashFlags, feed engine.FeedOptions, downOnExit bool) error {
	if !isTerminal(g.stdout) || !isTerminal(g.stdin) {
		return fmt.Errorf("the dashboard needs a terminal; use `devstack logs -f` and `devstack ps` instead")
	}
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan engine.FeedBatch)
	feed.Stats = true
	go engine.Feed(fctx, api, project, feed, batches)
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
	res, err := tui.Run(ctx, o, dashActions{api: api, project: project}, g.stdin, g.stdout)
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
	}
	fmt.Fprintf(g.stderr, "The stack keeps running: `devstack dash` shows it again, `devstack down` removes it.\n")
	return nil
}

// upDashboard is attached `up` on a terminal: the dashboard, with logs from
// the moment up started.
func upDashboard(ctx context.Context, g *globals, api engine.API, project string, started time.Time, noColor, downOnExit bool) error {
	f := dashFlags{ring: tui.DefaultRingSize, noColor: noColor}
	return runDash(ctx, g, api, project, f, engine.FeedOptions{Since: started}, downOnExit)
}

// dashActions carries out the dashboard's requests with the engine.
type dashActions struct {
	api     engine.API
	project string
}

func (a dashActions) quiet() *engine.Printer { return engine.NewPrinter(io.Discard) }

func (a dashActions) Restart(ctx context.Context, service string) error {
	return engine.Restart(ctx, a.api, a.project, []string{service}, nil, a.quiet())
}

func (a dashActions) Stop(ctx context.Context, service string) error {
	return engine.Stop(ctx, a.api, a.project, []string{service}, nil, a.quiet())
}

func (a dashActions) Start(ctx context.Context, service string) error {
	return engine.Start(ctx, a.api, a.project, []string{service}, a.quiet())
}

func (a dashActions) RestartAll(ctx context.Context) error {
	return engine.Restart(ctx, a.api, a.project, nil, nil, a.quiet())
}
