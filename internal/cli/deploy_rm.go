package cli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/deploy"
)

func newDeployRmCmd(g *globals, k *kubeTarget) *cobra.Command {
	var volumes bool
	cmd := &cobra.Command{
		Use:   "rm",
		Short: "Remove the stack: its services, then its networks, secrets and configs (volumes stay)",
		Long: `Remove the stack: its services, then its networks, secrets and configs
(volumes stay).

With --kubernetes: the project's workloads (waiting until their pods are
gone), Services, NetworkPolicies, ConfigMaps and Secrets; -v removes its
PersistentVolumeClaims too, and the namespace when deploy made it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := k.check(); err != nil {
				return err
			}
			if k.on {
				return kubeRm(cmd.Context(), g, k, volumes)
			}
			if volumes {
				return errors.New("-v removes a Kubernetes deployment's volumes (--kubernetes); a swarm stack's volumes stay: docker volume rm removes them on each node")
			}
			return g.onStack(cmd.Context(), func(ctx context.Context, api deploy.API, ns string) error {
				unlock, err := g.lock(ctx, ns, "deploy rm")
				if err != nil {
					return err
				}
				defer unlock()
				return deploy.Remove(ctx, api, ns, g.printer())
			})
		},
	}
	cmd.Flags().BoolVarP(&volumes, "volumes", "v", false, "with --kubernetes: remove the PersistentVolumeClaims of the named volumes too (their data is lost)")
	return cmd
}
