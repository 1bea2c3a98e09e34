package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/engine"
)

// commit and date are set by make (-ldflags -X): the git commit and its
// date, empty in a plain go build.
var commit, date string

// versionLine is devstack's version with the build's commit and date when
// they were embedded. Pure.
func versionLine(version, commit, date string) string {
	line := "devstack version " + version
	if commit != "" {
		line += ", commit " + commit
	}
	if date != "" {
		line += ", built " + date
	}
	return line
}

func newVersionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print devstack's version and the Docker engine's, if it answers",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(g.stdout, versionLine(engine.Version, commit, date))
			ctx, cancel := context.WithTimeout(cmd.Context(), 3*time.Second)
			defer cancel()
			api, ep, err := engine.Connect(ctx, g.context)
			if ep.Host != "" {
				fmt.Fprintf(g.stdout, "Docker context: %s (%s)\n", ep.Context, ep.Host)
			}
			if err != nil {
				fmt.Fprintf(g.stdout, "Docker engine: not reachable (%v)\n", err)
				return nil
			}
			defer api.Close()
			v, err := api.ServerVersion(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "Docker engine: %s (API %s, client negotiated %s)\n", v.Version, v.APIVersion, api.ClientVersion())
			return nil
		},
	}
}
