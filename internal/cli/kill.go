package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/engine"
)

func newKillCmd(g *globals) *cobra.Command {
	var signal string
	cmd := &cobra.Command{
		Use:   "kill [SERVICE...]",
		Short: "Send a signal (default SIGKILL) to the running containers",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if _, err := engine.ParseSignal(signal); err != nil {
				return err
			}
			return g.onProject(ctx, args, "kill", func(ctx context.Context, api dockerapi.API, name string) error {
				return engine.KillServices(ctx, api, name, args, signal, g.printer())
			})
		},
	}
	cmd.Flags().StringVarP(&signal, "signal", "s", "SIGKILL", "signal to send: a name (SIGHUP, HUP) or a number")
	return cmd
}
