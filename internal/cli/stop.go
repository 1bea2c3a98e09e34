package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
)

func newStopCmd(g *globals) *cobra.Command {
	return lifecycleCmd(g, "stop", "Stop running containers without removing them, dependents first", true,
		func(ctx context.Context, api dockerapi.API, project string, services []string, timeout *int, out progress.Progress) error {
			return containers.Stop(ctx, api, project, services, timeout, out)
		})
}
