package cli

import (
	"context"
	"fmt"
	"sort"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/compose"
	"github.com/devstack/devstack/internal/engine"
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
			return converge(cmd.Context(), g, "create", full, p, engine.UpOptions{
				PlanOptions:  engine.PlanOptions{ForceRecreate: forceRecreate, NoRecreate: noRecreate, RemoveOrphans: removeOrphans},
				ImageOptions: engine.ImageOptions{Build: build, Pull: pull},
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

// converge runs up's steps on the selected services with the given options,
// holding the project's lock.
func converge(ctx context.Context, g *globals, verb string, full, p *types.Project, o engine.UpOptions) error {
	api, err := g.client(ctx)
	if err != nil {
		return err
	}
	defer api.Close()
	unlock, err := g.lock(ctx, p.Name, verb)
	if err != nil {
		return err
	}
	defer unlock()
	o.ImageOptions = g.images(o.ImageOptions)
	o.Known = append(full.ServiceNames(), full.DisabledServiceNames()...)
	_, err = engine.Up(ctx, api, engine.NewMonitor(api, p.Name), p, o, g.printer())
	return err
}

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
			scale, err := engine.ParseScale(args, p.ServiceNames())
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
			if err := engine.ApplyScale(sel, scale); err != nil {
				return err
			}
			return converge(ctx, g, "scale", full, sel, engine.UpOptions{})
		},
	}
	cmd.Flags().BoolVar(&noDeps, "no-deps", false, "don't start the services they depend on")
	return cmd
}
