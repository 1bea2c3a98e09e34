package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/version"
	"github.com/devstack/devstack/internal/watch/inject"
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

// receiversLine names the platforms whose watch receiver the build
// carries. Pure.
func receiversLine(platforms []string) string {
	if len(platforms) == 0 {
		return "Watch receivers: none built in (make build embeds them; watch then copies devstack itself into containers, or uses CopyToContainer)"
	}
	return "Watch receivers: " + strings.Join(platforms, ", ")
}

// engineLine names the engine that answered. Pure.
func engineLine(id dockerapi.Identity) string {
	line := fmt.Sprintf("Engine: %s %s (", id.Product, id.Version)
	if id.OS != "" {
		line += id.OS + ", "
	}
	return line + fmt.Sprintf("API %s, client negotiated %s)", id.APIVersion, id.ClientVersion)
}

func newVersionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print devstack's version and the Docker engine's, if it answers",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(g.stdout, versionLine(version.Version, commit, date))
			fmt.Fprintln(g.stdout, receiversLine(inject.Platforms()))
			ctx, cancel := context.WithTimeout(cmd.Context(), 3*time.Second)
			defer cancel()
			id, ep, err := dockerapi.Identify(ctx, g.context)
			if ep.Host != "" {
				fmt.Fprintf(g.stdout, "Docker context: %s (%s)\n", ep.Context, ep.Host)
			}
			if err != nil {
				fmt.Fprintf(g.stdout, "Engine: not reachable (%v)\n", err)
				return nil
			}
			fmt.Fprintln(g.stdout, engineLine(id))
			return nil
		},
	}
}
