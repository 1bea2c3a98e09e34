package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/progress"
)

type runFlags struct {
	o                apply.RunOptions
	noTTY, quietPull bool
	entrypoint       string
}

func newRunCmd(g *globals) *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run [flags] SERVICE [COMMAND] [ARG...]",
		Short: "Run a one-off command in a new container of a service (its dependencies started first)",
		Long: `Run a one-off command in a new container <project>-<service>-run-<id> with
the service's configuration, after bringing up the services it depends on
(--no-deps: not). The service's ports are not published unless
--service-ports or -p. A TTY is allocated when stdin is one (-T: never);
signals are passed on to the container and its exit code is devstack's.
"ps -a" lists one-off containers; "down" removes them.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("entrypoint") {
				ep := types.ShellCommand{}
				if f.entrypoint != "" {
					ep = types.ShellCommand{f.entrypoint}
				}
				f.o.Entrypoint = (*[]string)(&ep)
			}
			f.o.Service, f.o.Cmd = args[0], args[1:]
			f.o.TTY = !f.noTTY && isTerminal(g.stdin) && !f.o.Detach
			return runRun(cmd.Context(), g, f)
		},
	}
	cmd.Flags().SetInterspersed(false)
	fl := cmd.Flags()
	o := &f.o
	fl.BoolVarP(&o.Detach, "detach", "d", false, "run in the background and print the container ID")
	fl.BoolVar(&o.Remove, "rm", false, "remove the container when it exits")
	fl.StringArrayVarP(&o.Env, "env", "e", nil, "set an environment variable (KEY=VALUE, or KEY to pass it on)")
	fl.StringArrayVarP(&o.Labels, "label", "l", nil, "add or override a label (KEY=VALUE)")
	fl.StringArrayVarP(&o.Volumes, "volume", "v", nil, "bind mount a volume (SRC:DST[:MODE])")
	fl.StringArrayVarP(&o.Publish, "publish", "p", nil, "publish a container port to the host ([IP:]HOST:CONTAINER[/PROTO])")
	fl.BoolVar(&o.ServicePorts, "service-ports", false, "publish the service's ports")
	fl.BoolVar(&o.UseAliases, "use-aliases", false, "give the container the service's network aliases")
	fl.StringVar(&f.entrypoint, "entrypoint", "", "override the image's entrypoint")
	fl.StringVarP(&o.User, "user", "u", "", "run as this user (name or uid[:gid])")
	fl.StringVarP(&o.WorkDir, "workdir", "w", "", "working directory inside the container")
	fl.BoolVarP(&f.noTTY, "no-TTY", "T", false, "do not allocate a pseudo-terminal (default: one when stdin is a terminal)")
	fl.BoolVarP(&o.Interactive, "interactive", "i", true, "keep stdin open and attach it")
	fl.StringVar(&o.Name, "name", "", "container name")
	fl.BoolVar(&o.NoDeps, "no-deps", false, "do not start the services it depends on")
	fl.StringVar(&o.Pull, "pull", "", "pull the image: always, missing, never (default: pull_policy)")
	fl.BoolVar(&o.Build, "build", false, "build the image before starting")
	fl.BoolVar(&f.quietPull, "quiet-pull", false, "pull without progress output")
	return cmd
}

func runRun(ctx context.Context, g *globals, f runFlags) error {
	full, p, err := g.load(ctx, []string{f.o.Service})
	if err != nil {
		return err
	}
	if f.o.NoDeps {
		if p, err = p.WithSelectedServices([]string{f.o.Service}, types.IgnoreDependencies); err != nil {
			return err
		}
	}
	api, err := g.client(ctx)
	if err != nil {
		return err
	}
	defer api.Close()
	if routerProject(g, full) {
		if err := offerCA(g, api, full, p); err != nil {
			return err
		}
	}
	f.o.ImageOptions = g.images(f.o.ImageOptions)
	var out progress.Progress = g.printer()
	if f.quietPull {
		out = quietPulls{out}
	}
	known := append(full.ServiceNames(), full.DisabledServiceNames()...)
	mon := logs.NewMonitor(api, p.Name)
	// Bringing up what the service depends on, its networks and its
	// container changes the project: under the lock, as up; the one-off
	// container then runs without it.
	unlock, err := g.lock(ctx, p.Name, "run")
	if err != nil {
		return err
	}
	c, err := apply.PrepareRun(ctx, api, mon, p, known, f.o, out)
	unlock()
	if err != nil {
		return err
	}
	// From here on Ctrl-C and the other signals go to the container.
	sigs := make(chan os.Signal, 16)
	defer forwardSignals(sigs)()
	code, err := apply.StartRun(ctx, api, c, f.o, containers.Stdio{In: g.stdin, Out: g.stdout, Err: g.stderr}, sigs)
	if err != nil {
		return err
	}
	if f.o.Detach {
		fmt.Fprintln(g.stdout, c.ID)
	}
	if code != 0 {
		return ExitError{Code: code}
	}
	return nil
}

// quietPulls drops the progress of image pulls (--quiet-pull).
type quietPulls struct{ progress.Progress }

func (q quietPulls) Event(e progress.Event) {
	if e.Kind == progress.KindImage && e.Status != "Pulled" {
		return
	}
	q.Progress.Event(e)
}
