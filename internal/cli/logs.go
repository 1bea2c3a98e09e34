package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/logs"
)

func newLogsCmd(g *globals) *cobra.Command {
	var o logs.FollowOptions
	var noColor, timestamps bool
	cmd := &cobra.Command{
		Use:   "logs [SERVICE...]",
		Short: "Show the services' logs; -f follows them, including restarted and recreated containers",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return g.onProject(ctx, args, "", func(ctx context.Context, api dockerapi.API, name string) error {
				o.Services = args
				lp := &logPrinter{w: g.stdout, color: colorOK(g, noColor), timestamps: timestamps}
				f := logs.NewFollower(api, logs.NewMonitor(api, name), name, o)
				var err error
				if o.Follow {
					err = f.RunAcrossRestarts(ctx, api, lp, g.stderr)
				} else {
					err = f.Run(ctx, lp)
				}
				if o.Follow && ctx.Err() != nil {
					return nil // Ctrl-C is how one stops following
				}
				return err
			})
		},
	}
	cmd.Flags().BoolVarP(&o.Follow, "follow", "f", false, "follow log output")
	cmd.Flags().StringVarP(&o.Tail, "tail", "n", "all", "number of lines to show from the end of each container's log")
	cmd.Flags().BoolVarP(&timestamps, "timestamps", "t", false, "show timestamps")
	cmd.Flags().BoolVar(&noColor, "no-color", false, "no colours in prefixes")
	return cmd
}
