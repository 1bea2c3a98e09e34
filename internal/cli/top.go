package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
)

func newTopCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "top [SERVICE...]",
		Short: "Show the processes running in the containers",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return g.onProject(ctx, args, "", func(ctx context.Context, api dockerapi.API, name string) error {
				tops, err := containers.Top(ctx, api, name, args)
				if err != nil {
					return err
				}
				for i, t := range tops {
					if i > 0 {
						fmt.Fprintln(g.stdout)
					}
					fmt.Fprintln(g.stdout, t.Name)
					tw := tabwriter.NewWriter(g.stdout, 0, 0, 3, ' ', 0)
					fmt.Fprintln(tw, strings.Join(t.Titles, "\t"))
					for _, p := range t.Processes {
						fmt.Fprintln(tw, strings.Join(p, "\t"))
					}
					if err := tw.Flush(); err != nil {
						return err
					}
				}
				return nil
			})
		},
	}
}
