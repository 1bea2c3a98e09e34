package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/compose"
)

func newPresetsShowCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "show NAME",
		Short: "Print a preset's compose fragment",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, with, err := compose.PresetSource(args[0])
			if err != nil {
				return err
			}
			fmt.Fprint(g.stdout, src)
			if len(with) > 0 {
				fmt.Fprintf(g.stdout, "# wiring merged when also selected: %s\n", strings.Join(with, ", "))
			}
			return nil
		},
	}
}
