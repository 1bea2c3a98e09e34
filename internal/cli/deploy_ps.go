package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/deploy"
)

func newDeployPsCmd(g *globals, k *kubeTarget) *cobra.Command {
	return &cobra.Command{
		Use:   "ps",
		Short: "The stack's tasks: service, node, desired and current state, error, IP on each network",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := k.check(); err != nil {
				return err
			}
			if k.on {
				return kubePs(cmd.Context(), g, k)
			}
			return g.onStack(cmd.Context(), func(ctx context.Context, api deploy.API, ns string) error {
				tasks, err := deploy.Tasks(ctx, api, ns)
				if err != nil {
					return err
				}
				tw := tabwriter.NewWriter(g.stdout, 0, 0, 3, ' ', 0)
				fmt.Fprintln(tw, "NAME\tIMAGE\tNODE\tDESIRED\tCURRENT\tERROR\tADDRESSES")
				for _, t := range tasks {
					var addrs []string
					for _, a := range t.Addresses {
						addrs = append(addrs, a.Network+"="+a.IP)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s %s ago\t%s\t%s\n", t.Name, t.Image, t.Node, t.Desired,
						t.Current, time.Since(t.Since).Round(time.Second), t.Error, strings.Join(addrs, " "))
				}
				return tw.Flush()
			})
		},
	}
}
