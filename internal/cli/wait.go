package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/apply"
)

func newWaitCmd(g *globals) *cobra.Command {
	var downProject bool
	cmd := &cobra.Command{
		Use:   "wait SERVICE...",
		Short: "Block until the services' containers stop; their exit code is devstack's",
		Long: `Block until the running containers of the services have stopped, printing
each as it does; the exit code is that of the last one to stop. With
--down-project, the project is taken down as soon as the first one stops,
and the exit code is that one's.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			name, known, err := g.target(ctx)
			if err != nil {
				return err
			}
			if err := g.checkServices(ctx, args); err != nil {
				return err
			}
			api, err := g.client(ctx)
			if err != nil {
				return err
			}
			defer api.Close()
			code, err := apply.WaitExit(ctx, api, name, args, downProject, func(e apply.Exited) {
				fmt.Fprintf(g.stdout, "container %q exited with status code %d\n", e.Container.Name, e.Code)
			})
			if err != nil {
				return err
			}
			if downProject {
				if err := apply.Down(ctx, api, name, apply.DownOptions{Known: known, RemoveOrphans: true}, g.printer()); err != nil {
					return err
				}
			}
			if code != 0 {
				return ExitError{Code: code}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&downProject, "down-project", false, "take the project down when the first container stops")
	return cmd
}
