package cli

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/tui"
)

type upFlags struct {
	detach, build, forceRecreate, noRecreate, removeOrphans, wait, noColor, strictPorts bool
	noTUI, downOnExit, noDeps, abortOnExit, renewAnon, noSnapshot                       bool
	logLines                                                                            int
	pull, exitCodeFrom                                                                  string
	scale, attach, noAttach                                                             []string
	watch, router, routerSet, noRouter                                                  bool
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
kills it. --watch then follows develop.watch (see devstack watch); with -d
(or --wait) up returns once the stack is up and leaves the watcher running in
the background, detached from the terminal (devstack watch --status, --stop).`,
		RunE: func(c *cobra.Command, args []string) error { return runUpCmd(c, g, f, args) },
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
	fl.BoolVarP(&f.renewAnon, "renew-anon-volumes", "V", false, "give recreated containers new anonymous volumes instead of the old containers' data (after a snapshot auto-TIME of those that hold data; --no-snapshot skips it)")
	fl.BoolVar(&f.noSnapshot, "no-snapshot", false, "with -V: no safety snapshot of the anonymous volumes first (also DEVSTACK_NO_SNAPSHOT=1)")
	fl.BoolVar(&f.removeOrphans, "remove-orphans", false, "remove containers of services not in the project")
	fl.BoolVar(&f.wait, "wait", false, "wait until services are running and healthy (implies -d)")
	fl.DurationVar(&f.waitTimeout, "wait-timeout", 0, "give up waiting after this long (with --wait)")
	fl.BoolVar(&f.noColor, "no-color", false, "no colours in log prefixes")
	fl.BoolVar(&f.strictPorts, "strict-ports", false, "fail when a preset's host port is taken instead of moving it to the next free one")
	fl.BoolVar(&f.noTUI, "no-tui", false, "stream plain logs instead of opening the dashboard on a terminal")
	fl.BoolVar(&f.downOnExit, "down-on-exit", false, "take the stack down when the dashboard quits")
	fl.IntVar(&f.logLines, "log-lines", tui.DefaultRingSize, "log lines the dashboard keeps per service")
	fl.IntVarP(&f.timeout, "timeout", "t", -1, "seconds to wait for containers to stop on Ctrl-C (default: stop_grace_period)")
	fl.BoolVar(&f.watch, "watch", false, "then follow develop.watch triggers (see devstack watch); with -d or --wait the watcher runs in the background")
	fl.BoolVar(&f.router, "router", true, "serve https://SERVICE.PROJECT.localhost through devstack's local router (on unless --no-router, DEVSTACK_ROUTER=0 or the compose file's x-devstack: {router: false}; see devstack router)")
	fl.BoolVar(&f.noRouter, "no-router", false, "leave the local router out (same as --router=false)")
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
	full, p, attached, err := upProject(ctx, g, f, services)
	if err != nil {
		return err
	}
	api, err := g.client(ctx)
	if err != nil {
		return err
	}
	defer api.Close()
	prep, err := upRouter(ctx, g, api, f, full, p) // nil: off; else it starts meanwhile
	if err != nil {
		return err
	}
	defer prep.wait()
	started := time.Now()
	detached := f.detach || f.wait
	dashboard := !abort && !f.noTUI && isTerminal(g.stdout) && isTerminal(g.stdin) && (!detached || f.watch)
	opts := upOptions(g, f, full)
	if !detached && !dashboard {
		opts.Attached = upAttached(g, api, f, attached, started)
	}
	mon := logs.NewMonitor(api, p.Name) // one event stream for the waits, the logs and the dashboard
	unlock, err := g.lock(ctx, p.Name, "up")
	if err != nil {
		return err
	}
	if err := beforeUp(ctx, g, api, p, f.renewAnon && !f.noSnapshot); err != nil {
		unlock()
		return err
	}
	var once sync.Once
	opts.Converged = func(res apply.UpResult) {
		// Attached, up changes nothing more until Ctrl-C: others may act meanwhile.
		once.Do(unlock)
		showInfo(ctx, g, api, res.Project, res.Plan) // as applied: image names, moved preset ports
		routerUp(ctx, g, api, full, prep)
	}
	res, err := apply.Up(ctx, api, mon, p, opts, g.printer())
	if intr := (*apply.Interrupted)(nil); errors.As(err, &intr) {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		intr.Describe(dctx, api, p.Name) // say what is left, under the lock still
		cancel()
	}
	once.Do(unlock)
	switch {
	case err != nil:
		return err
	case res.ExitCode != 0:
		return ExitError{Code: res.ExitCode}
	case dashboard:
		return upDashboard(ctx, g, api, mon, res.Project, started, f)
	case detached && f.watch:
		return startBackground(ctx, g, res.Project, f.watchOpts, services)
	}
	return nil
}
