package cli

import (
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/engine"
)

func newLogsCmd(g *globals) *cobra.Command {
	var o engine.LogOptions
	var noColor bool
	cmd := &cobra.Command{
		Use:   "logs [SERVICE...]",
		Short: "Show the services' logs; -f follows them, including restarted and recreated containers",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			name, api, err := g.attach(ctx, args)
			if err != nil {
				return err
			}
			defer api.Close()
			o.Services = args
			o.Color = colorOK(g, noColor)
			err = engine.Logs(ctx, api, name, o, g.stdout)
			if o.Follow && ctx.Err() != nil {
				return nil // Ctrl-C is how one stops following
			}
			return err
		},
	}
	cmd.Flags().BoolVarP(&o.Follow, "follow", "f", false, "follow log output")
	cmd.Flags().StringVarP(&o.Tail, "tail", "n", "all", "number of lines to show from the end of each container's log")
	cmd.Flags().BoolVarP(&o.Timestamps, "timestamps", "t", false, "show timestamps")
	cmd.Flags().BoolVar(&noColor, "no-color", false, "no colours in prefixes")
	return cmd
}
