package cli

import (
	"context"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
)

// narrow loads the project and keeps the named services (all when none
// named), with their dependencies when deps is set.
func (g *globals) narrow(ctx context.Context, services []string, deps bool) (*types.Project, error) {
	_, p, err := g.load(ctx, services)
	if err != nil || len(services) == 0 || deps {
		return p, err
	}
	return p.WithSelectedServices(services, types.IgnoreDependencies)
}

// registryCall is the engine call of pull or push.
type registryCall func(ctx context.Context, api dockerapi.API, out progress.Progress) error

// newRegistryCmd is what pull and push share: VERB [SERVICE...], the
// services narrowed (--include-deps adds what they depend on), -q and
// --ignore-VERB-failures. plan sees the project before the engine is
// reached and returns the call to make with a client and -q's progress.
func newRegistryCmd(g *globals, verb, short string, plan func(p *types.Project, ignoreFailures bool) (registryCall, error)) *cobra.Command {
	var ignoreFailures, deps, quiet bool
	cmd := &cobra.Command{
		Use:   verb + " [SERVICE...]",
		Short: short,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			p, err := g.narrow(ctx, args, deps)
			if err != nil {
				return err
			}
			call, err := plan(p, ignoreFailures)
			if err != nil {
				return err
			}
			api, err := g.client(ctx)
			if err != nil {
				return err
			}
			defer api.Close()
			out, _ := g.progressFor(quiet, "")
			return call(ctx, api, out)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&ignoreFailures, "ignore-"+verb+"-failures", false, verb+" what can be "+verb+"ed and only warn about the rest")
	fl.BoolVar(&deps, "include-deps", false, "also "+verb+" the images of the services they depend on")
	fl.BoolVarP(&quiet, "quiet", "q", false, verb+" without printing progress")
	return cmd
}
