package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
)

func newPsCmd(g *globals) *cobra.Command {
	var format string
	var all, quiet, services bool
	cmd := &cobra.Command{
		Use:   "ps [SERVICE...]",
		Short: "List the stack's containers: state, health, IP addresses and published ports",
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			f, err := parseFormat(format)
			if err != nil {
				return err
			}
			return g.onProject(ctx, nil, "", func(ctx context.Context, api dockerapi.API, name string) error {
				rows, err := containers.Ps(ctx, api, name, all)
				if err != nil {
					return err
				}
				rows = filterRows(rows, args, all)
				if !quiet && !services {
					addURLs(rows, projectURLs(ctx, api, name))
				}
				switch {
				case quiet:
					for _, r := range rows {
						fmt.Fprintln(g.stdout, r.ID)
					}
				case services:
					for _, r := range rows {
						fmt.Fprintln(g.stdout, r.Service)
					}
				case f.json:
					return writeJSON(g.stdout, rows)
				case f.tmpl != nil:
					return f.writeRows(g.stdout, psViews(name, rows))
				default:
					if m := watchMarker(g, name); m != "" {
						defer fmt.Fprintf(g.stderr, "watch: %s; devstack watch --status\n", m) // below the table, off stdout
					}
					return psTable(g.stdout, rows)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, json, or a Go template such as '{{.Service}} {{.State}}' (fields: ID, Name, Project, Service, Image, State, Health, ExitCode, Status, Ports, IPs, URLs)")
	cmd.Flags().BoolVarP(&all, "all", "a", false, "also show stopped containers and the one-off containers of run")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "only container IDs")
	cmd.Flags().BoolVar(&services, "services", false, "only service names")
	return cmd
}

// psView is a ps row for --format templates, with docker compose's field
// names; lists are joined with ", " as compose prints them.
type psView struct {
	ID, Name, Project, Service, Image, State, Health string
	ExitCode                                         int
	Status, Ports, IPs, URLs                         string
}

func psViews(project string, rows []containers.PsRow) []psView {
	out := make([]psView, len(rows))
	for i, r := range rows {
		out[i] = psView{ID: r.ID, Name: r.Name, Project: project, Service: r.Service, Image: r.Image,
			State: r.State, Health: r.Health, Status: r.Status,
			Ports: strings.Join(r.Ports, ", "), IPs: strings.Join(r.IPs, ", "), URLs: strings.Join(r.URLs, ", ")}
		if r.Exit != nil {
			out[i].ExitCode = *r.Exit
		}
	}
	return out
}

func filterRows(rows []containers.PsRow, services []string, all bool) []containers.PsRow {
	var out []containers.PsRow
	for _, r := range rows {
		if !all && r.State != "running" && r.State != "restarting" {
			continue
		}
		if len(services) > 0 && !slices.Contains(services, r.Service) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// addURLs gives each row its service's router URLs.
func addURLs(rows []containers.PsRow, urls map[string][]string) {
	for i := range rows {
		rows[i].URLs = urls[rows[i].Service]
	}
}

// psTable prints the rows; a URL column only when the router serves some.
func psTable(w io.Writer, rows []containers.PsRow) error {
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	withURLs := slices.ContainsFunc(rows, func(r containers.PsRow) bool { return len(r.URLs) > 0 })
	head := "NAME\tSERVICE\tSTATE\tHEALTH\tIP\tPORTS"
	if withURLs {
		head += "\tURL"
	}
	fmt.Fprintln(tw, head)
	for _, r := range rows {
		ips := make([]string, 0, len(r.IPs))
		for _, ip := range r.IPs {
			_, addr, _ := strings.Cut(ip, "=")
			ips = append(ips, addr)
		}
		state := r.State
		if r.Exit != nil {
			state += fmt.Sprintf(" (exit %d)", *r.Exit)
		}
		line := fmt.Sprintf("%s\t%s\t%s\t%s\t%s\t%s", r.Name, r.Service, state, dash(r.Health), dash(strings.Join(ips, ",")), dash(strings.Join(r.Ports, ", ")))
		if withURLs {
			line += "\t" + dash(strings.Join(r.URLs, " "))
		}
		fmt.Fprintln(tw, line)
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
