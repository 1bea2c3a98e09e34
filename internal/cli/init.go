package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/atomicfile"
	"github.com/devstack/devstack/internal/compose"
)

// composeNames are the compose file names init will not shadow.
var composeNames = []string{"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"}

func newInitCmd(g *globals) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "init PRESET...",
		Short: "Write compose.yaml and .env from presets, to customise",
		Long: `Write compose.yaml (the presets' fragments merged, with their wiring) and
.env (every knob: versions, host ports, passwords, data volumes, with
defaults) into the project directory. Existing files are left alone unless
--force is given.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := g.WorkingDir
			if dir == "" {
				dir = "."
			}
			sc, err := compose.NewScaffold(args)
			if err != nil {
				return err
			}
			if !force {
				for _, name := range append(composeNames, ".env") {
					if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
						return fmt.Errorf("%s already exists; use --force to overwrite it", filepath.Join(dir, name))
					}
				}
			}
			// Both or neither, never half-written (a full disk).
			if err := atomicfile.WriteAll(
				atomicfile.File{Path: filepath.Join(dir, "compose.yaml"), Data: sc.Compose, Perm: 0o644},
				atomicfile.File{Path: filepath.Join(dir, ".env"), Data: sc.Env, Perm: 0o644},
			); err != nil {
				return err
			}
			fmt.Fprintf(g.stderr, "Wrote compose.yaml and .env for %v; `devstack up -d` starts them\n", args)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite existing compose.yaml and .env")
	return cmd
}
