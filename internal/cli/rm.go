package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
)

func newRmCmd(g *globals) *cobra.Command {
	var o containers.RmOptions
	var force bool
	cmd := &cobra.Command{
		Use:   "rm [SERVICE...]",
		Short: "Remove stopped containers (-s: stop them first); named volumes are never removed",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return g.onProject(ctx, args, "rm", func(ctx context.Context, api dockerapi.API, name string) error {
				o.Services = args
				return containers.Rm(ctx, api, name, o, g.printer())
			})
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&force, "force", "f", false, "don't ask to confirm (devstack never asks)")
	fl.BoolVarP(&o.Stop, "stop", "s", false, "stop the containers first if they run")
	fl.BoolVarP(&o.Volumes, "volumes", "v", false, "also remove the containers' anonymous volumes (named volumes stay: down -v)")
	return cmd
}
