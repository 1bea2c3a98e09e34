package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
)

func newStartCmd(g *globals) *cobra.Command {
	return lifecycleCmd(g, "start", "Start existing containers, dependencies first", false,
		func(ctx context.Context, api dockerapi.Stopper, project string, services []string, _ *int, out progress.Progress) error {
			return containers.Start(ctx, api, project, services, out)
		})
}
