package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/compose"
)

func newDownCmd(g *globals) *cobra.Command {
	var o apply.DownOptions
	var rmi string
	var noSnapshot bool
	timeout := -1
	cmd := &cobra.Command{
		Use:   "down",
		Short: "Stop and remove the stack's containers and networks (named volumes only with -v); end its watcher",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			name, known, err := g.target(ctx)
			if err != nil {
				return err
			}
			if rmi != "" {
				if o.Images, err = rmiImages(ctx, g, rmi); err != nil {
					return err
				}
			}
			api, err := g.client(ctx)
			if err != nil {
				return err
			}
			defer api.Close()
			unlock, err := g.lock(ctx, name, "down")
			if err != nil {
				return err
			}
			defer unlock()
			if _, err := stopWatcher(ctx, g, name); err != nil {
				return err
			}
			if o.Volumes && !noSnapshot {
				if err := autoSnapshot(ctx, g, api); err != nil {
					return err
				}
			}
			o.Known = known
			if timeout >= 0 {
				o.Timeout = &timeout
			}
			routerDown(ctx, g, api, name)
			return apply.Down(ctx, api, name, o, g.printer())
		},
	}
	cmd.Flags().BoolVarP(&o.Volumes, "volumes", "v", false, "also remove the project's named volumes and containers' anonymous volumes (after a snapshot auto-TIME of the named ones: devstack snapshot restore --latest brings them back)")
	cmd.Flags().BoolVar(&o.RemoveOrphans, "remove-orphans", false, "also remove containers of services not in the compose file")
	cmd.Flags().BoolVar(&noSnapshot, "no-snapshot", false, "with -v: remove the volumes without first taking the safety snapshot auto-TIME (also DEVSTACK_NO_SNAPSHOT=1)")
	cmd.Flags().StringVar(&rmi, "rmi", "", "also remove images: local (those built without an image: name) or all (every service's)")
	cmd.Flags().IntVarP(&timeout, "timeout", "t", -1, "seconds to wait for each container to stop (default: its stop_grace_period)")
	return cmd
}

// rmiImages names the images down --rmi removes, from the compose file.
func rmiImages(ctx context.Context, g *globals, mode string) ([]string, error) {
	p, err := compose.Load(ctx, g.Options)
	if err != nil {
		return nil, fmt.Errorf("--rmi needs the compose file to know the images: %w", err)
	}
	return apply.RmiImages(p, mode)
}
