package cli

import (
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/engine"
)

func newUnpauseCmd(g *globals) *cobra.Command {
	return pauseCmd(g, "unpause", "Resume paused containers", engine.Unpause)
}
