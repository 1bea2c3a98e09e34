package cli

import (
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/containers"
)

func newStopCmd(g *globals) *cobra.Command {
	return lifecycleCmd(g, "stop", "Stop running containers without removing them, dependents first", true, containers.Stop)
}
