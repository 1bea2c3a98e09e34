package cli

import (
	"sort"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/compose"
	"github.com/devstack/devstack/internal/plan"
)

func newScaleCmd(g *globals) *cobra.Command {
	var noDeps bool
	cmd := &cobra.Command{
		Use:   "scale SERVICE=N...",
		Short: "Run N containers of each named service (0 removes them), as up would with that many replicas",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			p, err := compose.Load(ctx, g.Options)
			if err != nil {
				return err
			}
			scale, err := plan.ParseScale(args, p.ServiceNames())
			if err != nil {
				return err
			}
			names := make([]string, 0, len(scale))
			for n := range scale {
				names = append(names, n)
			}
			sort.Strings(names)
			full, sel, err := g.load(ctx, names)
			if err != nil {
				return err
			}
			if noDeps {
				if sel, err = sel.WithSelectedServices(names, types.IgnoreDependencies); err != nil {
					return err
				}
			}
			if err := plan.ApplyScale(sel, scale); err != nil {
				return err
			}
			return converge(ctx, g, "scale", full, sel, apply.UpOptions{})
		},
	}
	cmd.Flags().BoolVar(&noDeps, "no-deps", false, "don't start the services they depend on")
	return cmd
}
