package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/compose"
	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/info"
	"github.com/devstack/devstack/internal/plan"
)

func newInfoCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "info [SERVICE...]",
		Short: "Show how to reach the running services: URLs, host:port, credentials, app settings",
		Long: `Show, per running service, its URLs or host:port, credentials and
ready-to-paste app settings (DATABASE_URL=..., REDIS_URL=...), using the
host ports actually published, and the router's https URLs (devstack router). --format env prints just the settings.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "table" && format != "env" {
				return fmt.Errorf("unknown --format %q: use table or env", format)
			}
			ctx := cmd.Context()
			api, err := g.client(ctx)
			if err != nil {
				return err
			}
			defer api.Close()
			p, cs, err := g.loadRunning(ctx, api)
			if err != nil {
				return err
			}
			services, err := renderInfo(p, cs, args)
			if err != nil {
				return err
			}
			if format == "env" {
				_, err = io.WriteString(g.stdout, info.EnvLines(services))
				return err
			}
			urls := projectURLs(ctx, api, p.Name) // the router's https URLs first
			for i, s := range services {
				services[i].Addresses = append(urls[s.Name], s.Addresses...)
			}
			printInfo(g.stdout, services)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or env")
	return cmd
}

// loadRunning loads the project as it runs (compose.LoadRunning) and
// observes its containers.
func (g *globals) loadRunning(ctx context.Context, api dockerapi.ContainerAPI) (*types.Project, []plan.Container, error) {
	var cs []plan.Container
	p, err := compose.LoadRunning(ctx, g.Options, func(ctx context.Context) (string, []string, error) {
		name, err := g.projectName(ctx)
		if err != nil {
			return "", nil, err
		}
		if cs, err = containers.Observe(ctx, api, name); err != nil {
			return "", nil, err
		}
		return name, containerServices(cs), nil
	})
	return p, cs, err
}

// renderInfo renders the info of every service with a container, or of the named ones.
func renderInfo(p *types.Project, cs []plan.Container, only []string) ([]info.Service, error) {
	return info.Running(p, containerServices(cs), plan.ServicePorts(cs), only)
}

// containerServices are the services of the containers, one per container.
func containerServices(cs []plan.Container) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.Service)
	}
	return out
}

// showInfo prints, after up, how to reach the services that publish
// something or carry preset info.
func showInfo(ctx context.Context, g *globals, api dockerapi.ContainerAPI, p *types.Project, plan plan.Plan) {
	cs := plan.Kept() // a no-op up: what was observed is what runs
	if !plan.Unchanged() {
		var err error
		if cs, err = containers.Observe(ctx, api, p.Name); err != nil {
			return
		}
	}
	services, err := renderInfo(p, cs, p.ServiceNames())
	if err != nil {
		fmt.Fprintf(g.stderr, "warning: %v\n", err)
		return
	}
	printInfo(g.stdout, services)
}

// printInfo prints the services that publish something or carry preset info.
func printInfo(w io.Writer, services []info.Service) {
	for _, s := range services {
		if len(s.Addresses)+len(s.Lines)+len(s.Env) == 0 {
			continue
		}
		if s.Description != "" {
			fmt.Fprintf(w, "%s  %s\n", s.Name, s.Description)
		} else {
			fmt.Fprintln(w, s.Name)
		}
		for _, a := range s.Addresses {
			fmt.Fprintf(w, "  %s\n", a)
		}
		for _, l := range s.Lines {
			fmt.Fprintf(w, "  %s\n", l)
		}
		for _, e := range s.Env {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
}
