package cli

import (
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/engine"
)

func newDownCmd(g *globals) *cobra.Command {
	var o engine.DownOptions
	timeout := -1
	cmd := &cobra.Command{
		Use:   "down",
		Short: "Stop and remove the stack's containers and networks (named volumes only with -v)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			name, known, err := g.target(ctx)
			if err != nil {
				return err
			}
			api, err := g.client(ctx)
			if err != nil {
				return err
			}
			defer api.Close()
			o.Known = known
			if timeout >= 0 {
				o.Timeout = &timeout
			}
			return engine.Down(ctx, api, name, o, g.printer())
		},
	}
	cmd.Flags().BoolVarP(&o.Volumes, "volumes", "v", false, "also remove the project's named volumes and containers' anonymous volumes")
	cmd.Flags().BoolVar(&o.RemoveOrphans, "remove-orphans", false, "also remove containers of services not in the compose file")
	cmd.Flags().IntVarP(&timeout, "timeout", "t", -1, "seconds to wait for each container to stop (default: its stop_grace_period)")
	return cmd
}
