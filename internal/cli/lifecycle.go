package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
)

// lifecycleCmd builds start, stop and restart: they act on existing containers.
func lifecycleCmd(g *globals, use, short string, withTimeout bool, run func(ctx context.Context, api dockerapi.API, project string, services []string, timeout *int, out progress.Progress) error) *cobra.Command {
	timeout := -1
	cmd := &cobra.Command{
		Use:   use + " [SERVICE...]",
		Short: short,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return g.onProject(ctx, args, use, func(ctx context.Context, api dockerapi.API, name string) error {
				var t *int
				if timeout >= 0 {
					t = &timeout
				}
				return run(ctx, api, name, args, t, g.printer())
			})
		},
	}
	if withTimeout {
		cmd.Flags().IntVarP(&timeout, "timeout", "t", -1, "seconds to wait for a container to stop (default: its stop_grace_period)")
	}
	return cmd
}
