package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/engine"
	"github.com/devstack/devstack/internal/tui"
	"github.com/devstack/devstack/internal/watch"
)

type upFlags struct {
	detach, build, forceRecreate, noRecreate, removeOrphans, wait, noColor, strictPorts bool
	noTUI, downOnExit, noDeps, abortOnExit, renewAnon                                   bool
	logLines                                                                            int
	pull, exitCodeFrom                                                                  string
	scale, attach, noAttach                                                             []string
	watch                                                                               bool
	watchOpts                                                                           watchFlags
	waitTimeout                                                                         time.Duration
	timeout                                                                             int
}

func newUpCmd(g *globals) *cobra.Command {
	var f upFlags
	cmd := &cobra.Command{
		Use:   "up [SERVICE...]",
		Short: "Create and start the stack (or the named services and what they depend on)",
		Long: `Create and start the project's services in dependency order, waiting for
depends_on conditions (service_started, service_healthy,
service_completed_successfully). Unchanged services are left running;
changed ones are recreated. SERVICE may also name a preset (devstack presets).
Without -d, up stays attached: on a terminal it opens the dashboard (q leaves
the stack running, X stops it; --no-tui for plain logs); otherwise it streams
every service's logs, and Ctrl-C stops the stack gracefully, a second Ctrl-C
kills it. --watch then follows develop.watch (see devstack watch).`,
		RunE: func(cmd *cobra.Command, args []string) error { return runUp(cmd.Context(), g, f, args) },
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.detach, "detach", "d", false, "start in the background and return")
	fl.BoolVar(&f.build, "build", false, "build images before starting")
	fl.StringVar(&f.pull, "pull", "", "pull images: always, missing, never (default: each service's pull_policy)")
	fl.BoolVar(&f.forceRecreate, "force-recreate", false, "recreate containers even if unchanged")
	fl.BoolVar(&f.noRecreate, "no-recreate", false, "never recreate existing containers")
	fl.BoolVar(&f.noDeps, "no-deps", false, "do not start the services the named ones depend on")
	fl.StringArrayVar(&f.scale, "scale", nil, "run N replicas of a service: SERVICE=N (repeatable; overrides scale in the file)")
	fl.BoolVar(&f.abortOnExit, "abort-on-container-exit", false, "stop the stack when any container exits (attached only)")
	fl.StringVar(&f.exitCodeFrom, "exit-code-from", "", "exit with the code of this service's container (implies --abort-on-container-exit)")
	fl.StringArrayVar(&f.attach, "attach", nil, "show the logs of these services only (repeatable)")
	fl.StringArrayVar(&f.noAttach, "no-attach", nil, "do not show the logs of this service (repeatable)")
	fl.BoolVarP(&f.renewAnon, "renew-anon-volumes", "V", false, "give recreated containers new anonymous volumes instead of the old containers' data")
	fl.BoolVar(&f.removeOrphans, "remove-orphans", false, "remove containers of services not in the project")
	fl.BoolVar(&f.wait, "wait", false, "wait until services are running and healthy (implies -d)")
	fl.DurationVar(&f.waitTimeout, "wait-timeout", 0, "give up waiting after this long (with --wait)")
	fl.BoolVar(&f.noColor, "no-color", false, "no colours in log prefixes")
	fl.BoolVar(&f.strictPorts, "strict-ports", false, "fail when a preset's host port is taken instead of moving it to the next free one")
	fl.BoolVar(&f.noTUI, "no-tui", false, "stream plain logs instead of opening the dashboard on a terminal")
	fl.BoolVar(&f.downOnExit, "down-on-exit", false, "take the stack down when the dashboard quits")
	fl.IntVar(&f.logLines, "log-lines", tui.DefaultRingSize, "log lines the dashboard keeps per service")
	fl.IntVarP(&f.timeout, "timeout", "t", -1, "seconds to wait for containers to stop on Ctrl-C (default: stop_grace_period)")
	fl.BoolVar(&f.watch, "watch", false, "then follow develop.watch triggers (see devstack watch)")
	f.watchOpts.register(cmd, "watch-")
	return cmd
}

func runUp(ctx context.Context, g *globals, f upFlags, services []string) error {
	if f.forceRecreate && f.noRecreate {
		return fmt.Errorf("--force-recreate and --no-recreate cannot be combined")
	}
	abort := f.abortOnExit || f.exitCodeFrom != ""
	if abort && (f.detach || f.wait || f.watch) {
		return fmt.Errorf("--abort-on-container-exit and --exit-code-from need an attached up: not with -d, --wait or --watch")
	}
	full, p, err := g.load(ctx, services)
	if err != nil {
		return err
	}
	if f.noDeps && len(services) > 0 {
		if p, err = p.WithSelectedServices(services, types.IgnoreDependencies); err != nil {
			return err
		}
	}
	if err := applyScale(p, f.scale); err != nil {
		return err
	}
	if _, ok := p.Services[f.exitCodeFrom]; f.exitCodeFrom != "" && !ok {
		return fmt.Errorf("--exit-code-from: no such service: %s", f.exitCodeFrom)
	}
	attached, err := attachedServices(p, f.attach, f.noAttach)
	if err != nil {
		return err
	}
	if f.watch {
		if err := watch.Check(p); err != nil {
			return err
		}
	}
	api, err := g.client(ctx)
	if err != nil {
		return err
	}
	defer api.Close()
	opts := engine.UpOptions{
		PlanOptions:      engine.PlanOptions{ForceRecreate: f.forceRecreate, NoRecreate: f.noRecreate, RemoveOrphans: f.removeOrphans},
		ImageOptions:     g.images(engine.ImageOptions{Build: f.build, Pull: f.pull}),
		Known:            append(full.ServiceNames(), full.DisabledServiceNames()...),
		Wait:             f.wait,
		WaitTimeout:      f.waitTimeout,
		StrictPorts:      f.strictPorts,
		RenewAnonVolumes: f.renewAnon,
	}
	started := time.Now()
	mon := engine.NewMonitor(api, p.Name) // one event stream for the waits, the logs and the dashboard
	dies := dieEvents(ctx, mon, f)
	unlock, err := g.lock(ctx, p.Name, "up")
	if err != nil {
		return err
	}
	res, err := engine.Up(ctx, api, mon, p, opts, g.printer())
	if intr := (*engine.Interrupted)(nil); errors.As(err, &intr) {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		intr.Describe(dctx, api, p.Name) // say what is left, under the lock still
		cancel()
	}
	unlock() // attached, up changes nothing more until Ctrl-C: others may act meanwhile
	if err != nil {
		return err
	}
	p = res.Project // as applied: image names, moved preset ports
	showInfo(ctx, g, api, p, res.Plan)
	if (f.detach || f.wait) && !f.watch {
		return nil
	}
	if !abort && !f.noTUI && isTerminal(g.stdout) && isTerminal(g.stdin) {
		return upDashboard(ctx, g, api, mon, p, started, f)
	}
	logs := engine.NewLogFollower(api, mon, p.Name, engine.FollowOptions{Services: attached, Follow: true, Since: started, UntilStopped: true})
	lp := &logPrinter{w: g.stdout, color: colorOK(g, f.noColor)}
	if abort {
		if len(attached) == 0 {
			logs = nil // every service is left out: no logs
		}
		return upAbort(ctx, g, api, p.Name, f, logs, lp, dies)
	}
	if f.watch {
		return upWatch(ctx, g, api, p, f, logs, lp)
	}
	if len(attached) == 0 {
		// Every service says attach: false: no logs, but Ctrl-C still stops the stack.
		<-ctx.Done()
	} else {
		err = followLogs(ctx, g, api, logs, lp)
	}
	if ctx.Err() == nil {
		return err
	}
	return stopAttached(ctx, g, api, p.Name, f.timeout)
}

// stopAttached stops the stack after Ctrl-C; a second Ctrl-C kills it.
func stopAttached(ctx context.Context, g *globals, api engine.API, project string, timeout int) error {
	out := g.printer()
	fmt.Fprintf(g.stderr, "Gracefully stopping... (press Ctrl+C again to force)\n")
	stopCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	go func() {
		select {
		case <-sig:
			cancel()
		case <-stopCtx.Done():
		}
	}()
	var t *int
	if timeout >= 0 {
		t = &timeout
	}
	if err := engine.Stop(stopCtx, api, project, nil, t, out); err != nil && stopCtx.Err() == nil {
		return err
	}
	if stopCtx.Err() != nil {
		_ = engine.Kill(context.WithoutCancel(ctx), api, project, out)
	}
	return ExitError{Code: 130}
}
