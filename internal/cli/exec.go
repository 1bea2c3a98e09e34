package cli

import (
	"context"
	"os"

	"github.com/moby/term"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
)

func newExecCmd(g *globals) *cobra.Command {
	var o containers.ExecOptions
	var noTTY bool
	cmd := &cobra.Command{
		Use:   "exec [flags] SERVICE COMMAND [ARG...]",
		Short: "Run a command in a running service container (interactive TTY when stdin is one)",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return g.onProject(ctx, args[:1], "", func(ctx context.Context, api dockerapi.API, name string) error {
				o.Service, o.Cmd = args[0], args[1:]
				o.Interactive = true
				o.TTY = !noTTY && isTerminal(g.stdin)
				code, err := containers.Exec(ctx, api, name, o, g.stdin, g.stdout, g.stderr)
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
	cmd.Flags().SetInterspersed(false)
	cmd.Flags().BoolVarP(&noTTY, "no-TTY", "T", false, "do not allocate a pseudo-terminal")
	cmd.Flags().StringVarP(&o.User, "user", "u", "", "run as this user")
	cmd.Flags().StringVarP(&o.WorkDir, "workdir", "w", "", "working directory inside the container")
	cmd.Flags().StringArrayVarP(&o.Env, "env", "e", nil, "set an environment variable (KEY=VALUE)")
	cmd.Flags().IntVar(&o.Index, "index", 1, "replica number when the service has several")
	cmd.Flags().BoolVar(&o.Privileged, "privileged", false, "give extended privileges to the process")
	return cmd
}

func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	_, t := term.GetFdInfo(f)
	return t
}
