package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/plan"
)

func newCreateCmd(g *globals) *cobra.Command {
	var build, forceRecreate, noRecreate, removeOrphans bool
	var pull string
	cmd := &cobra.Command{
		Use:   "create [SERVICE...]",
		Short: "Create the stack's containers (and networks, volumes, images) without starting them",
		RunE: func(cmd *cobra.Command, args []string) error {
			if forceRecreate && noRecreate {
				return fmt.Errorf("--force-recreate and --no-recreate cannot be combined")
			}
			full, p, err := g.load(cmd.Context(), args)
			if err != nil {
				return err
			}
			return converge(cmd.Context(), g, "create", full, p, apply.UpOptions{
				PlanOptions:  plan.PlanOptions{ForceRecreate: forceRecreate, NoRecreate: noRecreate, RemoveOrphans: removeOrphans},
				ImageOptions: apply.ImageOptions{Build: build, Pull: pull},
				NoStart:      true,
			})
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&build, "build", false, "build images before creating the containers")
	fl.StringVar(&pull, "pull", "", "pull images: always, missing, never (default: each service's pull_policy)")
	fl.BoolVar(&forceRecreate, "force-recreate", false, "recreate containers even if unchanged")
	fl.BoolVar(&noRecreate, "no-recreate", false, "never recreate existing containers")
	fl.BoolVar(&removeOrphans, "remove-orphans", false, "remove containers of services not in the project")
	return cmd
}
