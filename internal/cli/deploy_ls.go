package cli

import (
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/deploy"
)

func newDeployLsCmd(g *globals, k *kubeTarget) *cobra.Command {
	return &cobra.Command{
		Use:   "ls",
		Short: "The stacks on the swarm and their number of services",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if k.check() != nil || k.on {
				return errors.New("deploy ls lists the swarm's stacks; on Kubernetes each project has its namespace: kubectl get namespaces -l app.kubernetes.io/managed-by=devstack")
			}
			api, err := g.client(cmd.Context())
			if err != nil {
				return err
			}
			defer api.Close()
			stacks, err := deploy.Stacks(cmd.Context(), api)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(g.stdout, 0, 0, 3, ' ', 0)
			fmt.Fprintln(tw, "NAME\tSERVICES")
			for _, s := range stacks {
				fmt.Fprintf(tw, "%s\t%d\n", s.Name, s.Services)
			}
			return tw.Flush()
		},
	}
}
