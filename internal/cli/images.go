package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/docker/go-units"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/dockerapi"
)

func newImagesCmd(g *globals) *cobra.Command {
	var quiet bool
	var format string
	cmd := &cobra.Command{
		Use:   "images [SERVICE...]",
		Short: "List the images the stack's containers use",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if err := checkFormat(format); err != nil {
				return err
			}
			return g.onProject(ctx, args, "", func(ctx context.Context, api dockerapi.API, name string) error {
				rows, err := apply.Images(ctx, api, name, args)
				if err != nil {
					return err
				}
				switch {
				case quiet:
					for _, r := range rows {
						fmt.Fprintln(g.stdout, r.ID)
					}
					return nil
				case format == "json":
					return writeJSON(g.stdout, rows)
				}
				tw := tabwriter.NewWriter(g.stdout, 0, 0, 3, ' ', 0)
				fmt.Fprintln(tw, "CONTAINER\tREPOSITORY\tTAG\tIMAGE ID\tSIZE")
				for _, r := range rows {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ContainerName, r.Repository, r.Tag, r.ID, units.HumanSizeWithPrecision(float64(r.Size), 3))
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "only image IDs")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}
