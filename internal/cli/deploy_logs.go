package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/deploy"
	"github.com/devstack/devstack/internal/logs"
)

func newDeployLogsCmd(g *globals, k *kubeTarget) *cobra.Command {
	var o deploy.LogOptions
	var noColor bool
	cmd := &cobra.Command{
		Use:   "logs [SERVICE...]",
		Short: "The logs of the stack's services, from every node (-f follows)",
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Services = args
			if err := k.check(); err != nil {
				return err
			}
			if k.on {
				return kubeLogs(cmd.Context(), g, k, o, colorOK(g, noColor))
			}
			return g.onStack(cmd.Context(), func(ctx context.Context, api deploy.API, ns string) error {
				lp := &logPrinter{w: g.stdout, color: colorOK(g, noColor)}
				for _, s := range args {
					lp.pad = max(lp.pad, len(s))
				}
				err := deploy.Logs(ctx, api, ns, o, func(l deploy.LogLine) {
					lp.pad = max(lp.pad, len(l.Service))
					lp.Line(logs.Line{Service: l.Service, Text: l.Line})
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
