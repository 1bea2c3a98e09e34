package cli

import (
	"fmt"
	"regexp"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/containers"
)

func newLsCmd(g *globals) *cobra.Command {
	var all, quiet bool
	var format string
	var filters []string
	cmd := &cobra.Command{
		Use:   "ls",
		Short: "List the compose projects on the engine (devstack's and docker compose's), from their containers' labels",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			match, err := nameFilter(filters)
			if err != nil {
				return err
			}
			if err := checkFormat(format); err != nil {
				return err
			}
			api, err := g.client(ctx)
			if err != nil {
				return err
			}
			defer api.Close()
			rows, err := containers.Ls(ctx, api, all)
			if err != nil {
				return err
			}
			kept, watching := rows[:0], false
			for _, r := range rows {
				if match(r.Name) {
					r.Watch = watchMarker(g, r.Name)
					watching = watching || r.Watch != ""
					kept = append(kept, r)
				}
			}
			switch {
			case quiet:
				for _, r := range kept {
					fmt.Fprintln(g.stdout, r.Name)
				}
				return nil
			case format == "json":
				return writeJSON(g.stdout, kept)
			}
			return lsTable(g, kept, watching)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&all, "all", "a", false, "also projects whose containers are all stopped")
	fl.BoolVarP(&quiet, "quiet", "q", false, "only project names")
	fl.StringVar(&format, "format", "table", "output format: table or json")
	fl.StringArrayVar(&filters, "filter", nil, "name=REGEXP: only projects whose name matches")
	return cmd
}

// nameFilter reads ls's --filter name=X (a regular expression, as docker's
// name filters are); other keys are refused.
func nameFilter(filters []string) (func(string) bool, error) {
	var res []*regexp.Regexp
	for _, f := range filters {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k != "name" {
			return nil, fmt.Errorf("invalid --filter %q: only name=VALUE is supported", f)
		}
		re, err := regexp.Compile(v)
		if err != nil {
			return nil, fmt.Errorf("invalid --filter %q: %v", f, err)
		}
		res = append(res, re)
	}
	return func(name string) bool {
		for _, re := range res {
			if !re.MatchString(name) {
				return false
			}
		}
		return true
	}, nil
}

// lsTable is ls's table; a WATCH column only when devstack watches one of
// the projects.
func lsTable(g *globals, rows []containers.ProjectRow, watching bool) error {
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 3, ' ', 0)
	if !watching {
		fmt.Fprintln(tw, "NAME\tSTATUS\tCONFIG FILES")
		for _, r := range rows {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Name, r.Status, r.ConfigFiles)
		}
		return tw.Flush()
	}
	fmt.Fprintln(tw, "NAME\tSTATUS\tWATCH\tCONFIG FILES")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Name, r.Status, dash(r.Watch), r.ConfigFiles)
	}
	return tw.Flush()
}
