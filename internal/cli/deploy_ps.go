package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/deploy"
	"github.com/devstack/devstack/internal/engine"
)

// onStack runs fn with a client and the stack's namespace: the project's
// name, from -p, COMPOSE_PROJECT_NAME or the compose file.
func (g *globals) onStack(ctx context.Context, fn func(ctx context.Context, api deploy.API, ns string) error) error {
	ns, err := g.projectName(ctx)
	if err != nil {
		return err
	}
	api, err := g.client(ctx)
	if err != nil {
		return err
	}
	defer api.Close()
	return fn(ctx, api, ns)
}

func newDeployPsCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "ps",
		Short: "The stack's tasks: service, node, desired and current state, error, IP on each network",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
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

func newDeployLsCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "ls",
		Short: "The stacks on the swarm and their number of services",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			api, err := g.client(cmd.Context())
			if err != nil {
				return err
			}
			defer api.Close()
			stacks, err := deploy.Stacks(cmd.Context(), api)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(g.stdout, 0, 0, 3, ' ', 0)
			fmt.Fprintln(tw, "NAME\tSERVICES")
			for _, s := range stacks {
				fmt.Fprintf(tw, "%s\t%d\n", s.Name, s.Services)
			}
			return tw.Flush()
		},
	}
}

func newDeployRmCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "rm",
		Short: "Remove the stack: its services, then its networks, secrets and configs (volumes stay)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.onStack(cmd.Context(), func(ctx context.Context, api deploy.API, ns string) error {
				unlock, err := g.lock(ctx, ns, "deploy rm")
				if err != nil {
					return err
				}
				defer unlock()
				return deploy.Remove(ctx, api, ns, g.printer())
			})
		},
	}
}

func newDeployLogsCmd(g *globals) *cobra.Command {
	var o deploy.LogOptions
	var noColor bool
	cmd := &cobra.Command{
		Use:   "logs [SERVICE...]",
		Short: "The logs of the stack's services, from every node (-f follows)",
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Services = args
			return g.onStack(cmd.Context(), func(ctx context.Context, api deploy.API, ns string) error {
				lp := &logPrinter{w: g.stdout, color: colorOK(g, noColor)}
				for _, s := range args {
					lp.pad = max(lp.pad, len(s))
				}
				err := deploy.Logs(ctx, api, ns, o, func(l deploy.LogLine) {
					lp.pad = max(lp.pad, len(l.Service))
					lp.Line(engine.LogLine{Service: l.Service, Text: l.Line})
				})
				if ctx.Err() != nil {
					return nil // Ctrl-C ends -f
				}
				return err
			})
		},
	}
	cmd.Flags().BoolVarP(&o.Follow, "follow", "f", false, "follow the logs")
	cmd.Flags().StringVar(&o.Tail, "tail", "all", "lines from the end of each service's logs")
	cmd.Flags().BoolVar(&noColor, "no-color", false, "no colours in log prefixes")
	return cmd
}
