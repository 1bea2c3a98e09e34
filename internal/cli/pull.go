package cli

import (
	"context"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
)

func newPullCmd(g *globals) *cobra.Command {
	var policy string
	cmd := newRegistryCmd(g, "pull", "Pull the services' images, all at the same time (the pull step up uses)",
		func(p *types.Project, ignoreFailures bool) (registryCall, error) {
			return func(ctx context.Context, api dockerapi.API, out progress.Progress) error {
				o := apply.PullOptions{Policy: policy, IgnoreFailures: ignoreFailures, Auth: g.auth}
				return apply.Pull(ctx, api, p, o, out)
			}, nil
		})
	cmd.Flags().StringVar(&policy, "policy", "", "missing: only the images not present; always (default): all")
	return cmd
}
