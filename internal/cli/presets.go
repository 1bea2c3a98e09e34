package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/compose"
)

func newPresetsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "presets",
		Short: "List the built-in preset catalogue (devstack up NAME... uses them)",
		Long: `List the built-in presets: name, image, host ports and what each gives.
In a directory without a compose file, "devstack up nginx mysql redis" brings
these up; with a compose file, names that are not its services are added from
the catalogue. Images and ports follow variables from the environment and
.env: <NAME>_IMAGE, <NAME>_VERSION, <NAME>_PORT (e.g. MYSQL_VERSION=8.0).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			list, err := compose.Catalogue(cmd.Context())
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tIMAGE\tPORTS\tDESCRIPTION")
			for _, p := range list {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Name, p.Image, dash(strings.Join(p.Ports, ",")), p.Description)
			}
			return tw.Flush()
		},
	}
	cmd.AddCommand(newPresetsShowCmd(g))
	return cmd
}
