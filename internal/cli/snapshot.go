package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/go-units"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/compose"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/snapshot"
)

func newSnapshotCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "snapshot",
		Short: "Save, list, restore and remove snapshots of the project's named volumes (kept on the engine)",
		Long: `Snapshots copy the project's named volumes into the engine's volume
devstack-snapshots (one directory a project), as tar + zstd with a sha256
each, through a helper container of devstack's own (nothing to pull), so a
remote engine keeps its own.

A save pauses the containers that mount the volumes for the copy only
(--stop stops them instead), so no file is caught half-written: a database's
files then hold what its last committed write left, as after a power cut,
which its recovery handles. A restore stops them, replaces the volumes'
content exactly and starts them again, waited for as up --wait does.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newSnapshotSaveCmd(g), newSnapshotLsCmd(g), newSnapshotRestoreCmd(g), newSnapshotRmCmd(g),
		newSnapshotExportCmd(g), newSnapshotImportCmd(g))
	return cmd
}

func newSnapshotSaveCmd(g *globals) *cobra.Command {
	var stop bool
	var keys []string
	cmd := &cobra.Command{
		Use:   "save [NAME] [SERVICE...]",
		Short: "Copy the named volumes the services mount (default: all the project's) into a snapshot",
		Long: `Copy the named volumes the services mount (default: all the project's,
never external ones unless named with --volume) into the snapshot NAME.
NAME defaults to the time and the git branch; a first argument that is a
service of the project is taken as a service, not a name.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			p, err := compose.Load(ctx, g.Options)
			if err != nil {
				return err
			}
			name, services := "", args
			if len(args) > 0 && !slices.Contains(p.ServiceNames(), args[0]) {
				name, services = args[0], args[1:]
				if err := snapshot.CheckName(name); err != nil {
					return err
				}
			}
			if name == "" {
				name = snapshot.DefaultName(time.Now(), snapshot.GitBranch(p.WorkingDir))
			}
			vols, err := snapshot.Volumes(p, services, keys)
			if err != nil {
				return err
			}
			return onSnapshots(ctx, g, p.Name, "snapshot save", func(ctx context.Context, api dockerapi.API) error {
				return runSnapshotSave(ctx, g, api, p, snapshot.SaveOptions{Name: name, Volumes: vols, Branch: snapshot.GitBranch(p.WorkingDir), Stop: stop})
			})
		},
	}
	cmd.Flags().BoolVar(&stop, "stop", false, "stop the containers that mount the volumes for the copy instead of pausing them")
	cmd.Flags().StringArrayVar(&keys, "volume", nil, "copy this volume (its key under volumes:; repeatable; external ones too)")
	return cmd
}

func runSnapshotSave(ctx context.Context, g *globals, api dockerapi.API, p *types.Project, o snapshot.SaveOptions) error {
	res, err := snapshot.Save(ctx, api, p.Name, o, g.printer())
	if err != nil {
		return fmt.Errorf("snapshot %s not saved: %w", o.Name, err)
	}
	held := "nothing paused"
	if len(res.Held) > 0 {
		verb := "paused"
		if o.Stop {
			verb = "stopped"
		}
		held = fmt.Sprintf("%s %s for %s", strings.Join(res.Held, ", "), verb, res.Pause.Round(time.Millisecond))
	}
	fmt.Fprintf(g.stderr, "Snapshot %s saved: %s (%s compressed; %s)\n", o.Name, volumeList(res.Manifest.Volumes), units.HumanSize(float64(res.Manifest.Size())), held)
	return nil
}

// onSnapshots runs fn with an engine client, under the project's lock
// when verb is set.
func onSnapshots(ctx context.Context, g *globals, project, verb string, fn func(context.Context, dockerapi.API) error) error {
	api, err := g.client(ctx)
	if err != nil {
		return err
	}
	defer api.Close()
	if verb != "" {
		unlock, err := g.lock(ctx, project, verb)
		if err != nil {
			return err
		}
		defer unlock()
	}
	return fn(ctx, api)
}
