package cli

import (
	"context"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
)

func newPushCmd(g *globals) *cobra.Command {
	return newRegistryCmd(g, "push", "Push the images of the services that build and name an image, with docker login's credentials",
		func(p *types.Project, ignoreFailures bool) (registryCall, error) {
			targets, err := apply.PushTargets(p, nil) // refused before the engine is reached
			if err != nil {
				return nil, err
			}
			return func(ctx context.Context, api dockerapi.API, out progress.Progress) error {
				o := apply.PushOptions{IgnoreFailures: ignoreFailures, Auth: g.auth}
				return apply.Push(ctx, api, targets, o, out)
			}, nil
		})
}
