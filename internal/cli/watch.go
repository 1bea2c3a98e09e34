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
}

func (f *watchFlags) register(cmd *cobra.Command, prefix string) {
	fl := cmd.Flags()
	fl.DurationVar(&f.quiet, prefix+"debounce", watch.DefaultQuiet, "handle changes once files were quiet for this long")
	fl.IntVar(&f.loopLimit, prefix+"loop-limit", watch.DefaultLoopLimit, "pause a service reloaded more than this many times within a minute")
}

func (f watchFlags) options(g *globals) watch.Options {
	return watch.Options{Quiet: f.quiet, LoopLimit: f.loopLimit, Images: g.images(apply.ImageOptions{})}
}

func newWatchCmd(g *globals) *cobra.Command {
	var f watchFlags
	cmd := &cobra.Command{
		Use:   "watch [SERVICE...]",
		Short: "Follow develop.watch: sync, rebuild, restart or exec on file changes",
		Long: `Follow the develop.watch triggers of the running stack's services (or the
named ones): on a change under a trigger's path, sync copies the changed files
into the container and deletes the deleted ones; rebuild builds the image and
recreates only that service; restart, sync+restart and sync+exec restart the
container or run exec.command after the sync. Each reload prints one line:
service, action, files and time. Ctrl-C stops watching; the stack keeps running.

Presets watch without any develop section: nginx takes .devstack/nginx.conf
(a server block) and reloads gracefully, apache takes .devstack/httpd.conf,
php-fpm adds .devstack/php.ini and restarts. A project directory that is
bind-mounted needs no sync: its changes are live.

Changes are handled once files were quiet for --debounce (30ms), so a git
checkout of thousands of files is one reload. A service reloaded more than
--loop-limit times a minute (one writing into its own watched directory) is
paused for a minute.

Synced files go straight into the container's root when devstack runs as
root on the engine's machine; otherwise devstack copies its receiver, a
small static Linux program, into the container once (/.devstack) and
streams each batch to it there, or, where no receiver can run, uses the
engine's CopyToContainer. DEVSTACK_WATCH_COPY=api
skips the first way, DEVSTACK_WATCH_COPY=copy the first two.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, p, err := g.load(cmd.Context(), args)
			if err != nil {
				return err
			}
			if err := watch.Check(p); err != nil {
				return err
			}
			api, err := g.client(cmd.Context())
			if err != nil {
				return err
			}
			defer api.Close()
			o := f.options(g)
			o.Services = args // not what they depend on
			return watch.Run(cmd.Context(), api, p, o, g.printer())
		},
	}
	f.register(cmd, "")
	return cmd
}

// upWatch follows the watch triggers beside attached `up --watch`'s logs
// until ctx ends; a watch that fails says so and ends.
func upWatch(ctx context.Context, g *globals, api dockerapi.API, p *types.Project, f upFlags) {
	if err := watch.Run(ctx, api, p, f.watchOpts.options(g), g.printer()); err != nil && ctx.Err() == nil {
		g.printer().Event(progress.Event{Kind: progress.KindWatch, Detail: fmt.Sprintf("stopped: %v", err)})
	}
}
