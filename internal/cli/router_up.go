package cli

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/presets"
	"github.com/devstack/devstack/internal/router"
	"github.com/devstack/devstack/internal/routerctl"
)

// routerEnv is DEVSTACK_ROUTER: 1 (true, on, yes) turns the router on,
// 0 (false, off, no) off; set says it was either.
func routerEnv() (on, set bool) {
	switch strings.ToLower(os.Getenv("DEVSTACK_ROUTER")) {
	case "1", "true", "on", "yes":
		return true, true
	case "0", "false", "off", "no":
		return false, true
	}
	return false, false
}

// routerWanted says whether up gives the project its router names: up's
// --router (=false) / --no-router first, then DEVSTACK_ROUTER, then the
// compose file's top-level x-devstack: {router: BOOL}; on without any.
func routerWanted(g *globals, f upFlags, p *types.Project) bool {
	if f.routerSet {
		return f.router
	}
	return routerProject(g, p)
}

// routerProject is routerWanted without up's flag: create, run, scale,
// watch and doctor offer the CA to containers as up does when it holds.
func routerProject(g *globals, p *types.Project) bool {
	if on, set := routerEnv(); set {
		return on
	}
	on, err := presets.ProjectRouterOf(p.Extensions)
	if err != nil {
		fmt.Fprintf(g.stderr, "warning: %v: the router stays off\n", err)
	}
	return on
}

// routerServes says whether commands that load no compose file (ps,
// info, start, stop, ...) look at the router for project: DEVSTACK_ROUTER
// when set, else whether an up gave it routes (the host's copy has them:
// one file's stat, no engine call).
func routerServes(project string) bool {
	if on, set := routerEnv(); set {
		return on
	}
	return routerCache().Has(project)
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

// routerCache is the host's copy of the router's routes (none when
// devstack has no data directory: the router is then read each time).
func routerCache() routerctl.Cache {
	c, _ := routerctl.DefaultCache()
	return c
}

// projectURLs maps the project's services to their URLs, as the router
// serves them, from the host's copy of its routes; none without a router
// (one engine call, the router's inspect, either way).
func projectURLs(ctx context.Context, api dockerapi.API, project string) map[string][]string {
	if !routerServes(project) {
		return nil
	}
	r, err := routerctl.Find(ctx, api)
	if err != nil {
		return nil
	}
	states, err := routerctl.StatesOf(ctx, api, routerCache(), r)
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

// routeVerbs are the commands after which the project's routes follow its
// containers (routerRefresh): what starts, stops or removes them.
var routeVerbs = map[string]bool{"start": true, "stop": true, "restart": true, "kill": true, "rm": true, "pause": true, "unpause": true}

// routerRefresh makes the routes of a project the router serves follow
// its running containers; nothing with the router off or not serving it.
// run's one-off containers (run --service-ports too) get no route.
func routerRefresh(ctx context.Context, g *globals, api dockerapi.API, project string) {
	if !routerServes(project) {
		return
	}
	ctx = context.WithoutCancel(ctx)
	if err := routerctl.Refresh(ctx, api, routerCache(), project); err != nil {
		fmt.Fprintf(g.stderr, "warning: router: %v\n", err)
	}
}

// routerDown takes the project off the router before down removes its
// networks, whether or not the router is on now: an earlier up
// put it there.
func routerDown(ctx context.Context, g *globals, api dockerapi.API, project string) {
	if err := routerctl.Detach(ctx, api, routerCache(), project); err != nil {
		fmt.Fprintf(g.stderr, "warning: router: %v\n", err)
	}
}
