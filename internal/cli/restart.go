package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/progress"
)

func newRestartCmd(g *globals) *cobra.Command {
	var noDeps bool
	cmd := lifecycleCmd(g, "restart", "Restart containers, dependencies first (and dependents with depends_on restart: true, once their conditions hold again)", true,
		func(ctx context.Context, api dockerapi.API, project string, services []string, timeout *int, out progress.Progress) error {
			ctx, stop := context.WithCancel(ctx)
			defer stop()
			wait := apply.DependencyWaiter(ctx, api, logs.NewMonitor(api, project), out)
			return containers.Restart(ctx, api, project, containers.RestartOptions{Services: services, Timeout: timeout, NoDeps: noDeps, Wait: wait}, out)
		})
	cmd.Flags().BoolVar(&noDeps, "no-deps", false, "don't restart the services that depend on the named ones with restart: true")
	return cmd
}
