package cli

import (
	"context"
	"os"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
)

func newAttachCmd(g *globals) *cobra.Command {
	o := containers.AttachOptions{SigProxy: true}
	cmd := &cobra.Command{
		Use:   "attach [flags] SERVICE",
		Short: "Attach this terminal's stdin, stdout and stderr to a service's running container",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return g.onProject(ctx, args, "", func(ctx context.Context, api dockerapi.API, name string) error {
				o.Service = args[0]
				sigs := make(chan os.Signal, 16)
				if o.SigProxy {
					defer forwardSignals(sigs)() // Ctrl-C and the other signals go to the container
				}
				code, err := containers.Attach(ctx, api, name, o, containers.Stdio{In: g.stdin, Out: g.stdout, Err: g.stderr}, sigs)
				if err != nil {
					return err
				}
				if code != 0 {
					return ExitError{Code: code}
				}
				return nil
			})
		},
	}
	cmd.Flags().IntVar(&o.Index, "index", 1, "replica number when the service has several")
	cmd.Flags().BoolVar(&o.NoStdin, "no-stdin", false, "do not attach stdin")
	cmd.Flags().BoolVar(&o.SigProxy, "sig-proxy", true, "pass the signals devstack receives on to the container")
	return cmd
}
