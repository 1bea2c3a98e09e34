package cli

import (
	"errors"
	"fmt"
	"sort"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/router"
	"github.com/devstack/devstack/internal/routerctl"
)

func newRouterCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "router",
		Short: "The local HTTPS router: https://SERVICE.PROJECT.localhost for every project",
		Long: `One router container for every project on the engine serves
https://SERVICE.PROJECT.localhost (and http://) for each service with a
container port (ports:, expose:): the first HTTP-looking port, and the others
as PORT.SERVICE.PROJECT.localhost. x-devstack: {domains: [NAME, NAME:PORT]}
adds names under .localhost; x-devstack: {https_redirect: true} makes a
service's http:// names redirect to https:// (by default both serve). Several
running containers of a service share its names, round-robin (unhealthy ones
left out while others are ready).

up starts the router (on first need) and gives the project its names, with
nothing to configure; up --no-router, DEVSTACK_ROUTER=0 or the compose file's
top-level x-devstack: {router: false} leave it out. On a remote engine
(tcp://, ssh://, a context naming one) the router is off, and up says so in
one line: its loopback ports would be that machine's. start, stop, restart and
scale keep them on the running containers; down takes them away (the names
then answer a page saying the project is down). The router reaches a project
on a network of its own, PROJECT-devstack-router, never on the project's
networks, so docker compose down works as without it. It publishes
127.0.0.1:443 and 127.0.0.1:80, or other free loopback ports when those are
taken (the URLs then carry the port).

Certificates come from a local CA made on first use (ECDSA P-256, limited to
names under .localhost) whose key stays in devstack's data directory
($DEVSTACK_DATA_DIR, else $XDG_DATA_HOME/devstack, else ~/.local/share/devstack).
devstack router trust adds the CA to the system store and the browsers'.
With the router on, every service's containers get the CA certificate
mounted read-only at /etc/ssl/devstack (ca.pem, and bundle.pem: the host's
roots plus the CA) with NODE_EXTRA_CA_CERTS, SSL_CERT_FILE,
REQUESTS_CA_BUNDLE and DEVSTACK_CA_CERT, unless the compose file sets them;
x-devstack: {ca: false} on a service opts out.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newRouterStatusCmd(g), newRouterCACmd(g), newRouterTrustCmd(g), newRouterStopCmd(g))
	return cmd
}

func newRouterStatusCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Show the router's ports and every project's names",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			api, err := g.client(ctx)
			if err != nil {
				return err
			}
			defer api.Close()
			r, err := routerctl.Find(ctx, api)
			if errors.Is(err, routerctl.ErrNoRouter) {
				fmt.Fprintln(g.stdout, "router: not running (devstack up starts it)")
				return nil
			}
			if err != nil {
				return err
			}
			state := "stopped"
			if r.Running {
				state = "running"
			}
			fmt.Fprintf(g.stdout, "router: %s, https on 127.0.0.1:%d, http on 127.0.0.1:%d (%s)\n", state, r.HTTPS, r.HTTP, r.Image)
			states, err := routerctl.States(ctx, api) // the router's own, and the host's copy made again
			if err != nil {
				return err
			}
			_ = routerCache().Reset(r.ID, states)
			return printRoutes(g, r, states)
		},
	}
}

func printRoutes(g *globals, r routerctl.Router, states []router.State) error {
	sort.Slice(states, func(i, j int) bool { return states[i].Project < states[j].Project })
	tw := tabwriter.NewWriter(g.stdout, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "URL\tPROJECT\tSERVICE\tPORT\tSTATE")
	for _, st := range states {
		for _, rt := range st.Routes {
			state := "up"
			switch {
			case st.Down:
				state = "project down"
			case len(rt.Backends) == 0:
				state = "not running"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", r.URL(rt.Host), st.Project, rt.Service, rt.Port, state)
		}
	}
	return tw.Flush()
}

func newRouterCACmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "ca",
		Short: "Print the path of the local CA's certificate (made on first use), for curl --cacert or a trust store",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := router.CADir()
			if err != nil {
				return err
			}
			ca, err := router.LoadCA(dir)
			if err != nil {
				return err
			}
			fmt.Fprintln(g.stdout, ca.CertPath())
			return nil
		},
	}
}

func newRouterStopCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "stop",
		Short: "Remove the router container and its image (the CA stays; the next up starts the router again)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			api, err := g.client(ctx)
			if err != nil {
				return err
			}
			defer api.Close()
			found, err := routerctl.Stop(ctx, api)
			if err != nil {
				return err
			}
			_ = routerCache().Drop()
			if found {
				fmt.Fprintln(g.stderr, "Router removed")
			} else {
				fmt.Fprintln(g.stderr, "No router running")
			}
			return nil
		},
	}
}
