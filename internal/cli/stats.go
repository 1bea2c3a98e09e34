package cli

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/docker/go-units"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
)

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
			return g.onProject(ctx, args, "", func(ctx context.Context, api dockerapi.API, name string) error {
				return runStats(ctx, g, api, name, args, noStream, format)
			})
		},
	}
	cmd.Flags().BoolVar(&noStream, "no-stream", false, "print one sample and exit")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}

// runStats prints a sample; streaming, a new one every second (in place on a terminal).
func runStats(ctx context.Context, g *globals, api dockerapi.ContainerAPI, project string, services []string, once bool, format string) error {
	for {
		rows, err := containers.Stats(ctx, api, project, services)
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

func statsTable(w io.Writer, rows []containers.StatsRow) error {
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
