package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/deploy"
)

func newDeployRmCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "rm",
		Short: "Remove the stack: its services, then its networks, secrets and configs (volumes stay)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.onStack(cmd.Context(), func(ctx context.Context, api deploy.API, ns string) error {
				unlock, err := g.lock(ctx, ns, "deploy rm")
				if err != nil {
					return err
				}
				defer unlock()
				return deploy.Remove(ctx, api, ns, g.printer())
			})
		},
	}
}
