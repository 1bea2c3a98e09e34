package cli

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/router"
	"github.com/devstack/devstack/internal/routerctl"
)

// routerOn: DEVSTACK_ROUTER=1 (or true, on, yes) turns the router on, as
// up --router does (and then create, run, scale and watch offer the CA
// to containers as up does). It is a preview, off by default: a project it
// serves keeps the router on its networks until devstack down.
func routerOn() bool {
	switch strings.ToLower(os.Getenv("DEVSTACK_ROUTER")) {
	case "1", "true", "on", "yes":
		return true
	}
	return false
}

// routerUp gives the project its https://SERVICE.PROJECT.localhost names
// and prints them. A router that cannot start fails no up: one warning.
func routerUp(ctx context.Context, g *globals, api dockerapi.API, p *types.Project) {
	if host := api.DaemonHost(); !routerctl.Local(host) {
		fmt.Fprintf(g.stderr, "router: off for the remote engine at %s (its ports would be on that machine's loopback)\n", host)
		return
	}
	dir, err := router.CADir()
	var ca *router.CA
	if err == nil {
		ca, err = router.LoadCA(dir)
	}
	var a routerctl.Attached
	if err == nil {
		a, err = routerctl.Attach(ctx, api, ca, p)
	}
	if err != nil {
		fmt.Fprintf(g.stderr, "warning: router: %v; no https://SERVICE.%s.localhost URLs (up without --router and DEVSTACK_ROUTER unset leave the router out)\n", err, p.Name)
		return
	}
	for _, n := range a.Notes {
		fmt.Fprintf(g.stderr, "warning: router: %s\n", n)
	}
	for _, l := range urlLines(a.Router, a.State) {
		fmt.Fprintln(g.stdout, l)
	}
}

// urlLines are the URLs up shows, one a line: each service's name and its
// x-devstack domains (PORT.SERVICE names of the default port left out).
func urlLines(r routerctl.Router, st router.State) []string {
	var out []string
	for _, rt := range st.Routes {
		if strings.HasPrefix(rt.Host, strconv.Itoa(rt.Port)+".") && hasHost(st, strings.SplitN(rt.Host, ".", 2)[1], rt.Port) {
			continue
		}
		out = append(out, fmt.Sprintf("%s  %s", rt.Service, r.URL(rt.Host)))
	}
	return out
}

func hasHost(st router.State, host string, port int) bool {
	for _, rt := range st.Routes {
		if rt.Host == host && rt.Port == port {
			return true
		}
	}
	return false
}

// projectURLs maps the project's services to their URLs, as the router
// serves them; none without a router (one engine call then).
func projectURLs(ctx context.Context, api dockerapi.API, project string) map[string][]string {
	if !routerOn() {
		return nil
	}
	r, err := routerctl.Find(ctx, api)
	if err != nil {
		return nil
	}
	states, err := routerctl.States(ctx, api)
	if err != nil {
		return nil
	}
	out := map[string][]string{}
	for _, st := range states {
		if st.Project != project || st.Down {
			continue
		}
		for _, l := range urlLines(r, st) {
			svc, url, _ := strings.Cut(l, "  ")
			out[svc] = append(out[svc], url)
		}
	}
	return out
}

// routerDown takes the project off the router before down removes its
// networks, whether or not the router is on now: an up --router earlier
// put it there.
func routerDown(ctx context.Context, g *globals, api dockerapi.API, project string) {
	if err := routerctl.Detach(ctx, api, project); err != nil {
		fmt.Fprintf(g.stderr, "warning: router: %v\n", err)
	}
}
