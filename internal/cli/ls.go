package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/docker/go-units"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/engine"
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
			rows, err := engine.Ls(ctx, api, all)
			if err != nil {
				return err
			}
			kept := rows[:0]
			for _, r := range rows {
				if match(r.Name) {
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
			tw := tabwriter.NewWriter(g.stdout, 0, 0, 3, ' ', 0)
			fmt.Fprintln(tw, "NAME\tSTATUS\tCONFIG FILES")
			for _, r := range kept {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Name, r.Status, r.ConfigFiles)
			}
			return tw.Flush()
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

func checkFormat(format string) error {
	if format != "table" && format != "json" && format != "" {
		return fmt.Errorf("unknown --format %q: use table or json", format)
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func newImagesCmd(g *globals) *cobra.Command {
	var quiet bool
	var format string
	cmd := &cobra.Command{
		Use:   "images [SERVICE...]",
		Short: "List the images the stack's containers use",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if err := checkFormat(format); err != nil {
				return err
			}
			return g.onProject(ctx, args, "", func(ctx context.Context, api engine.API, name string) error {
				rows, err := engine.Images(ctx, api, name, args)
				if err != nil {
					return err
				}
				switch {
				case quiet:
					for _, r := range rows {
						fmt.Fprintln(g.stdout, r.ID)
					}
					return nil
				case format == "json":
					return writeJSON(g.stdout, rows)
				}
				tw := tabwriter.NewWriter(g.stdout, 0, 0, 3, ' ', 0)
				fmt.Fprintln(tw, "CONTAINER\tREPOSITORY\tTAG\tIMAGE ID\tSIZE")
				for _, r := range rows {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ContainerName, r.Repository, r.Tag, r.ID, units.HumanSizeWithPrecision(float64(r.Size), 3))
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "only image IDs")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}

func newStatsCmd(g *globals) *cobra.Command {
	var noStream bool
	var format string
	cmd := &cobra.Command{
		Use:   "stats [SERVICE...]",
		Short: "Show the running containers' CPU, memory, network and block I/O (live; --no-stream: once)",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if err := checkFormat(format); err != nil {
				return err
			}
			return g.onProject(ctx, args, "", func(ctx context.Context, api engine.API, name string) error {
				return runStats(ctx, g, api, name, args, noStream, format)
			})
		},
	}
	cmd.Flags().BoolVar(&noStream, "no-stream", false, "print one sample and exit")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}

// runStats prints a sample; streaming, a new one every second (in place on a terminal).
func runStats(ctx context.Context, g *globals, api engine.API, project string, services []string, once bool, format string) error {
	for {
		rows, err := engine.Stats(ctx, api, project, services)
		if err != nil {
			return err
		}
		if !once && isTerminal(g.stdout) {
			fmt.Fprint(g.stdout, "\x1b[2J\x1b[H")
		}
		if format == "json" {
			err = writeJSON(g.stdout, rows)
		} else {
			err = statsTable(g.stdout, rows)
		}
		if err != nil || once {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

func statsTable(w io.Writer, rows []engine.StatsRow) error {
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "CONTAINER ID\tNAME\tCPU %\tMEM USAGE / LIMIT\tMEM %\tNET I/O\tBLOCK I/O\tPIDS")
	dec := func(n uint64) string { return units.HumanSizeWithPrecision(float64(n), 3) }
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%.2f%%\t%s / %s\t%.2f%%\t%s / %s\t%s / %s\t%d\n", r.ID, r.Name, r.CPUPerc,
			units.BytesSize(float64(r.MemUsage)), units.BytesSize(float64(r.MemLimit)), r.MemPerc,
			dec(r.NetRx), dec(r.NetTx), dec(r.BlockRead), dec(r.BlockWrite), r.PIDs)
	}
	return tw.Flush()
}
