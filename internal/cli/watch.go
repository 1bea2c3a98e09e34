package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/watch"
)

// watchFlags are shared by `watch` and `up --watch`.
type watchFlags struct {
	quiet     time.Duration
	loopLimit int
	poll      time.Duration
}

func (f *watchFlags) register(cmd *cobra.Command, prefix string) {
	fl := cmd.Flags()
	fl.DurationVar(&f.quiet, prefix+"debounce", watch.DefaultQuiet, "handle changes once files were quiet for this long")
	fl.IntVar(&f.loopLimit, prefix+"loop-limit", watch.DefaultLoopLimit, "pause a service reloaded more than this many times within a minute")
	fl.DurationVar(&f.poll, prefix+"poll", 0, "poll the watched trees every INTERVAL instead of following file events (alone: every "+watch.DefaultPoll.String()+"; also DEVSTACK_WATCH_POLL)")
	fl.Lookup(prefix + "poll").NoOptDefVal = watch.DefaultPoll.String()
}

func (f watchFlags) options(g *globals) (watch.Options, error) {
	poll := f.poll
	if poll == 0 {
		p, err := watch.PollFromEnv()
		if err != nil {
			return watch.Options{}, err
		}
		poll = p
	}
	return watch.Options{Quiet: f.quiet, LoopLimit: f.loopLimit, Poll: poll, Images: g.images(apply.ImageOptions{})}, nil
}

// args are the flags that give a background watcher the same settings.
func (f watchFlags) args() []string {
	out := []string{"--debounce=" + f.quiet.String(), fmt.Sprintf("--loop-limit=%d", f.loopLimit)}
	if f.poll != 0 {
		out = append(out, "--poll="+f.poll.String())
	}
	return out
}

type watchCmdFlags struct {
	watchFlags
	status, stop, detach, background bool
}

func newWatchCmd(g *globals) *cobra.Command {
	var f watchCmdFlags
	cmd := &cobra.Command{
		Use:   "watch [SERVICE...]",
		Short: "Follow develop.watch: sync, rebuild, restart or exec on file changes",
		Long: `Follow the develop.watch triggers of the running stack's services (or the
named ones): on a change under a trigger's path, sync copies the changed files
into the container and deletes the deleted ones; rebuild builds the image and
recreates only that service (services that share the image and build are
rebuilt once, then each recreated); restart, sync+restart and sync+exec
restart the container or run exec.command after the sync. Each reload prints
one line: service, action, files and time. Ctrl-C stops watching; the stack
keeps running.

One watcher runs per project: -d (and up -d --watch) leaves it running in the
background, detached from the terminal, logging to a file in devstack's state
directory; --status shows it, --stop (and devstack down) ends it, and it ends
by itself once the project has had no containers for a while.

Presets watch without any develop section: nginx takes .devstack/nginx.conf
(a server block) and reloads gracefully, apache takes .devstack/httpd.conf,
php-fpm adds .devstack/php.ini and restarts. A project directory that is
bind-mounted needs no sync: its changes are live.

Changes are handled once files were quiet for --debounce (30ms), so a git
checkout of thousands of files is one reload. A service reloaded more than
--loop-limit times a minute (one writing into its own watched directory) is
paused for a minute.

--poll stats the watched trees every interval instead of following file
events (DEVSTACK_WATCH_POLL=INTERVAL, or x-devstack-watch: {poll: INTERVAL}
at the top of the compose file, does the same; DEVSTACK_WATCH_POLL=0 never
polls). Watch polls by itself, saying why, where file events do not arrive:
a path on a 9p, NFS, SMB/CIFS or FUSE file system (WSL2's Windows drives,
network shares, some VM folders), or past the inotify limits.

Synced files go straight into the container's root when devstack runs as
root on the engine's machine; otherwise devstack copies its receiver, a
small static Linux program, into the container once (/.devstack) and
streams each batch to it there, or, where no receiver can run, uses the
engine's CopyToContainer. DEVSTACK_WATCH_COPY=api
skips the first way, DEVSTACK_WATCH_COPY=copy the first two.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			switch {
			case f.status:
				return watchStatus(ctx, g)
			case f.stop:
				return watchStop(ctx, g)
			}
			_, p, err := g.load(ctx, args)
			if err != nil {
				return err
			}
			if err := watch.Check(p); err != nil {
				return err
			}
			if f.detach {
				return startBackground(ctx, g, p, f.watchFlags, args)
			}
			o, err := f.options(g)
			if err != nil {
				return err
			}
			o.Services = args // not what they depend on
			return runWatcher(ctx, g, p, o, f.background)
		},
	}
	f.register(cmd, "")
	fl := cmd.Flags()
	fl.BoolVar(&f.status, "status", false, "say whether a watcher runs for the project (pid, since, log) and each service's watch state")
	fl.BoolVar(&f.stop, "stop", false, "end the project's watcher and wait for it to exit")
	fl.BoolVarP(&f.detach, "detach", "d", false, "watch in the background, detached from the terminal (see --status, --stop)")
	fl.BoolVar(&f.background, "background-child", false, "")
	_ = fl.MarkHidden("background-child") // the process -d starts
	cmd.MarkFlagsMutuallyExclusive("status", "stop", "detach")
	return cmd
}

// upWatch follows the watch triggers beside attached `up --watch`'s logs
// until ctx ends; a watch that fails says so and ends.
func upWatch(ctx context.Context, g *globals, api dockerapi.API, p *types.Project, f upFlags, out progress.Progress) {
	err := func() error {
		o, err := f.watchOpts.options(g)
		if err != nil {
			return err
		}
		return claimAndRun(ctx, g, api, p, o, out, false)
	}()
	if err != nil && ctx.Err() == nil {
		out.Event(progress.Event{Kind: progress.KindWatch, Detail: fmt.Sprintf("stopped: %v", err)})
	}
}
