package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
)

func newPortCmd(g *globals) *cobra.Command {
	var protocol string
	var index int
	cmd := &cobra.Command{
		Use:   "port SERVICE PRIVATE_PORT",
		Short: "Print the host address a service's container port is published on",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			port, proto, err := containers.ParsePort(args[1], protocol)
			if err != nil {
				return err
			}
			return g.onProject(ctx, args[:1], "", func(ctx context.Context, api dockerapi.API, name string) error {
				addr, err := containers.Port(ctx, api, name, args[0], index, port, proto)
				if err != nil {
					return err
				}
				fmt.Fprintln(g.stdout, addr)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&protocol, "protocol", "tcp", "tcp, udp or sctp")
	cmd.Flags().IntVar(&index, "index", 1, "the replica, when the service has several")
	return cmd
}
