package cli

import (
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/containers"
)

func newUnpauseCmd(g *globals) *cobra.Command {
	return pauseCmd(g, "unpause", "Resume paused containers", containers.Unpause)
}
