package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/compose"
	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/plan"
)

func newRmCmd(g *globals) *cobra.Command {
	var o containers.RmOptions
	var force, noSnapshot bool
	cmd := &cobra.Command{
		Use:   "rm [SERVICE...]",
		Short: "Remove stopped containers (-s: stop them first); named volumes are never removed",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return g.onProject(ctx, args, "rm", func(ctx context.Context, api dockerapi.API, name string) error {
				o.Services = args
				if o.Volumes && !noSnapshot {
					if err := rmSafetyNet(ctx, g, api, name, o); err != nil {
						return err
					}
				}
				return containers.Rm(ctx, api, name, o, g.printer())
			})
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&force, "force", "f", false, "don't ask to confirm (devstack never asks)")
	fl.BoolVarP(&o.Stop, "stop", "s", false, "stop the containers first if they run")
	fl.BoolVarP(&o.Volumes, "volumes", "v", false, "also remove the containers' anonymous volumes (named volumes stay: down -v), after a snapshot auto-TIME of those that hold data")
	fl.BoolVar(&noSnapshot, "no-snapshot", false, "with -v: remove the anonymous volumes without first taking the safety snapshot auto-TIME (also DEVSTACK_NO_SNAPSHOT=1)")
	return cmd
}

// rmSafetyNet snapshots the anonymous volumes rm -v is about to remove:
// those of the containers it removes (stopped ones; all with -s).
func rmSafetyNet(ctx context.Context, g *globals, api dockerapi.API, project string, o containers.RmOptions) error {
	p, err := compose.Load(ctx, g.Options)
	if err != nil {
		fmt.Fprintf(g.stderr, "No snapshot of the anonymous volumes before removing them: the compose file is needed (%v)\n", err)
		return nil
	}
	cs, err := containers.Select(ctx, api, project, o.Services)
	if err != nil {
		return err
	}
	var gone []plan.Container
	for _, c := range cs {
		if o.Stop || (!c.Running() && c.State != "paused") {
			gone = append(gone, c)
		}
	}
	return autoSnapshotAnonymous(ctx, g, api, p, gone, "rm -v")
}
