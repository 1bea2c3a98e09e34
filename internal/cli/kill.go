package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
)

func newKillCmd(g *globals) *cobra.Command {
	var signal string
	cmd := &cobra.Command{
		Use:   "kill [SERVICE...]",
		Short: "Send a signal (default SIGKILL) to the running containers",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if _, err := containers.ParseSignal(signal); err != nil {
				return err
			}
			return g.onProject(ctx, args, "kill", func(ctx context.Context, api dockerapi.API, name string) error {
				return containers.KillServices(ctx, api, name, args, signal, g.printer())
			})
		},
	}
	cmd.Flags().StringVarP(&signal, "signal", "s", "SIGKILL", "signal to send: a name (SIGHUP, HUP) or a number")
	return cmd
}
