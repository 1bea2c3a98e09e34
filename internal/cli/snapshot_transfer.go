package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/docker/go-units"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/atomicfile"
	"github.com/devstack/devstack/internal/bundle"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/snapshot"
)

func newSnapshotExportCmd(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "export NAME [-o FILE]",
		Short: "Write one snapshot to a .tar.zst file (tar --zstd -tf lists it), for snapshot import on another engine",
		Long: `Write the snapshot NAME as one .tar.zst: manifest.json first, then one
KEY.tar.zst a volume, as the engine stores them, streamed from the engine
(nothing is copied on this machine but the file) and checked against the
manifest's size and sha256 on the way: a damaged snapshot is refused and
no file is left. -o - writes standard output.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			if err := snapshot.CheckName(name); err != nil {
				return err
			}
			switch {
			case out == "-" && isTerminal(g.stdout):
				return fmt.Errorf("-o -: standard output is a terminal; redirect it, or pipe it into devstack snapshot import -")
			case out == "":
				out = name + ".tar.zst"
			}
			project, err := g.projectName(cmd.Context())
			if err != nil {
				return err
			}
			return onSnapshots(cmd.Context(), g, project, "", func(ctx context.Context, api dockerapi.API) error {
				return runSnapshotExport(ctx, g, api, project, name, out)
			})
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "file to write, - for standard output (default: NAME.tar.zst)")
	return cmd
}

func runSnapshotExport(ctx context.Context, g *globals, api dockerapi.API, project, name, out string) error {
	var w io.Writer = g.stdout
	var f *atomicfile.Writer
	if out != "-" {
		var err error
		if f, err = atomicfile.Create(out, 0o644); err != nil {
			return err
		}
		w = f
	}
	m, err := snapshot.Export(ctx, api, project, name, snapshot.Helper{}, w)
	if f != nil {
		if err != nil {
			f.Abort()
		} else {
			err = f.Commit()
		}
	}
	if err != nil {
		return fmt.Errorf("snapshot %s not exported: %w", name, err)
	}
	fmt.Fprintf(g.stderr, "Snapshot %s exported to %s: %s (%s)\n", name, bundle.ArchiveName(out, "standard output"), volumeList(m.Volumes), units.HumanSize(float64(m.Size())))
	return nil
}

func newSnapshotImportCmd(g *globals) *cobra.Command {
	var name string
	cmd := &cobra.Command{
		Use:   "import FILE [--name NEW]",
		Short: "Add a snapshot from a file of snapshot export to the project's snapshots on this engine",
		Long: `Add the snapshot in FILE (written by snapshot export; - reads standard
input) to the project's snapshots, under its own name or --name NEW. The
file is checked before anything is kept: its manifest first (names, sizes,
checksums), then each volume's archive on its way to the engine (its
sha256, and that it unpacks only inside the volume, to what the manifest
says). A snapshot of the same name is never replaced: --name gives another.
snapshot restore NAME then brings it into the volumes.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if name != "" {
				if err := snapshot.CheckName(name); err != nil {
					return err
				}
			}
			file := args[0]
			if file == "-" && isTerminal(g.stdin) {
				return fmt.Errorf("import -: standard input is a terminal; redirect a snapshot export into it")
			}
			if file != "-" {
				var err error
				if file, err = filepath.Abs(file); err != nil {
					return err
				}
			}
			project, err := g.projectName(cmd.Context())
			if err != nil {
				return err
			}
			return onSnapshots(cmd.Context(), g, project, "snapshot import", func(ctx context.Context, api dockerapi.API) error {
				a, err := bundle.Open(ctx, file, g.stdin)
				if err != nil {
					return err
				}
				defer a.Close()
				m, err := snapshot.Import(ctx, api, project, a, name, snapshot.Helper{})
				if err != nil {
					return fmt.Errorf("%s: nothing imported: %w", a.Name(), err)
				}
				fmt.Fprintf(g.stderr, "Snapshot %s imported into project %s: %s (%s; devstack snapshot restore %s brings it back)\n", m.Name, project, volumeList(m.Volumes), units.HumanSize(float64(m.Size())), m.Name)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "import it under this name")
	return cmd
}
