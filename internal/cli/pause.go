package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
)

func newPauseCmd(g *globals) *cobra.Command {
	return pauseCmd(g, "pause", "Pause the running containers", containers.Pause)
}

// pauseCmd builds pause and unpause: VERB [SERVICE...] on the running containers.
func pauseCmd(g *globals, use, short string, fn func(ctx context.Context, api dockerapi.ContainerAPI, project string, services []string, out progress.Progress) error) *cobra.Command {
	return &cobra.Command{
		Use:   use + " [SERVICE...]",
		Short: short,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return g.onProject(ctx, args, use, func(ctx context.Context, api dockerapi.API, name string) error {
				return fn(ctx, api, name, args, g.printer())
			})
		},
	}
}
