package cli

import (
	"fmt"
	"sort"

	"github.com/spf13/cobra"
)

func newConfigCmd(g *globals) *cobra.Command {
	var format string
	var services, quiet bool
	cmd := &cobra.Command{
		Use:   "config [SERVICE...]",
		Short: "Print the resolved project (interpolated, merged, normalised) as YAML or JSON",
		RunE: func(cmd *cobra.Command, args []string) error {
			_, p, err := g.load(cmd.Context(), args)
			if err != nil {
				return err
			}
			switch {
			case quiet:
				return nil
			case services:
				names := p.ServiceNames()
				sort.Strings(names)
				for _, n := range names {
					fmt.Fprintln(g.stdout, n)
				}
				return nil
			}
			var b []byte
			switch format {
			case "yaml", "":
				b, err = p.MarshalYAML()
			case "json":
				b, err = p.MarshalJSON()
			default:
				return fmt.Errorf("unknown --format %q: use yaml or json", format)
			}
			if err != nil {
				return err
			}
			_, err = g.stdout.Write(b)
			return err
		},
	}
	cmd.Flags().StringVar(&format, "format", "yaml", "output format: yaml or json")
	cmd.Flags().BoolVar(&services, "services", false, "print the service names, one per line")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "only validate; print nothing")
	return cmd
}
