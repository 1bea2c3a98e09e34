package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/docker/go-units"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/snapshot"
	"github.com/devstack/devstack/internal/snapshot/manifest"
)

// snapshotRow is a line of snapshot ls, and its JSON.
type snapshotRow struct {
	Name     string    `json:"name"`
	Created  time.Time `json:"created"`
	Branch   string    `json:"branch"`
	Volumes  []string  `json:"volumes"`
	Size     int64     `json:"size"`
	Services []string  `json:"services"`
}

func newSnapshotLsCmd(g *globals) *cobra.Command {
	var format string
	var quiet bool
	cmd := &cobra.Command{
		Use:   "ls",
		Short: "List the project's snapshots, oldest first: name, date, volumes, size, git branch",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			name, err := g.projectName(cmd.Context())
			if err != nil {
				return err
			}
			return onSnapshots(cmd.Context(), g, name, "", func(ctx context.Context, api dockerapi.API) error {
				snaps, err := snapshot.List(ctx, api, name, snapshot.Helper{})
				if err != nil {
					return err
				}
				return printSnapshots(g, snaps, format, quiet)
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "table or json")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "only the names")
	return cmd
}

func printSnapshots(g *globals, snaps []manifest.Manifest, format string, quiet bool) error {
	rows := make([]snapshotRow, 0, len(snaps))
	for _, m := range snaps {
		r := snapshotRow{Name: m.Name, Created: m.Created, Branch: m.Branch, Size: m.Size(), Services: m.Services}
		for _, v := range m.Volumes {
			r.Volumes = append(r.Volumes, v.Key)
		}
		rows = append(rows, r)
	}
	switch {
	case quiet:
		for _, r := range rows {
			fmt.Fprintln(g.stdout, r.Name)
		}
		return nil
	case format == "json":
		return writeJSON(g.stdout, rows)
	}
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCREATED\tVOLUMES\tSIZE\tBRANCH")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Name, r.Created.Local().Format("2006-01-02 15:04:05"), strings.Join(r.Volumes, ","),
			units.HumanSize(float64(r.Size)), r.Branch)
	}
	return tw.Flush()
}

func newSnapshotRmCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "rm NAME...",
		Short: "Remove snapshots of the project (none when one of them does not exist)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, names []string) error {
			for _, n := range names {
				if err := snapshot.CheckName(n); err != nil {
					return err
				}
			}
			project, err := g.projectName(cmd.Context())
			if err != nil {
				return err
			}
			return onSnapshots(cmd.Context(), g, project, "snapshot rm", func(ctx context.Context, api dockerapi.API) error {
				if err := snapshot.Remove(ctx, api, project, names, snapshot.Helper{}); err != nil {
					return err
				}
				for _, n := range names {
					fmt.Fprintf(g.stderr, "Snapshot %s removed\n", n)
				}
				return nil
			})
		},
	}
}

// volumeList is "data, logs" with the engine's names when they differ.
func volumeList(vols []manifest.Volume) string {
	var out []string
	for _, v := range vols {
		out = append(out, v.Key)
	}
	if len(out) == 1 {
		return "volume " + out[0]
	}
	return "volumes " + strings.Join(out, ", ")
}
