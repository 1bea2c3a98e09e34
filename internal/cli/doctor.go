package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/doctor"
)

func newDoctorCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "doctor [SERVICE...]",
		Short: "Check the engine, this machine and the project for what would stop up, with what to do about it",
		Long: `Check, one line each and with a remedy where one is known: that the
engine answers (which engine, API version, docker context); that the
project loads; that each published host port is free or held by this
project (else what holds it); that images are present or can be pulled
(whether credentials were found for their registries; never printed);
the engine's own disk usage (images, containers, volumes, build cache and
what of each is reclaimable, with the prune command; as docker system df,
for a remote engine too, given up after 15 s), the free space of its data
root when it is on this machine, and of the project directory; inotify
limits against the directories watch would watch; health checks
so slow their dependents wait minutes; the engine's clock against this
machine's; and the project's containers up would recreate, and why.
Exit status 0 when nothing is wrong, 1 otherwise.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "table" && format != "json" {
				return fmt.Errorf("unknown --format %q: use table or json", format)
			}
			ctx := cmd.Context()
			e := doctor.Env{Creds: g.auth, Ports: doctor.HostPorts, Statfs: doctor.HostStatfs, WatchLimit: doctor.WatchLimit(), Now: time.Now}
			api, ep, err := dockerapi.Connect(ctx, g.context)
			e.Endpoint, e.ConnectErr = ep, err
			if err == nil {
				defer api.Close()
				e.API = api
			}
			full, selected, err := g.load(ctx, args)
			if err == nil && e.API != nil && routerProject(g, full) {
				err = offerCA(g, e.API, full, selected) // as up gives it: not a change
			}
			e.Project, e.LoadErr = selected, err
			if full != nil {
				e.Known = append(full.ServiceNames(), full.DisabledServiceNames()...)
			}
			report := doctor.Run(ctx, e)
			if err := printDoctor(g.stdout, format, report); err != nil {
				return err
			}
			if report.Wrong() {
				return ExitError{Code: 1}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}

func printDoctor(w io.Writer, format string, r doctor.Report) error {
	if format == "json" {
		if r == nil {
			r = doctor.Report{}
		}
		return writeJSON(w, r)
	}
	_, err := io.WriteString(w, r.String())
	return err
}
