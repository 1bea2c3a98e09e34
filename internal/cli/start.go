package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/logs"
)

func newStartCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "start [SERVICE...]",
		Short: "Start existing containers, dependencies first (and once their depends_on conditions hold)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.onProject(cmd.Context(), args, "start", func(ctx context.Context, api dockerapi.API, name string) error {
				ctx, stop := context.WithCancel(ctx)
				defer stop()
				out := g.printer()
				wait := apply.DependencyWaiter(ctx, api, logs.NewMonitor(api, name), out)
				return containers.Start(ctx, api, name, args, wait, out)
			})
		},
	}
}
