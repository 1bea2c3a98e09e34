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

// routerPrep is the router made ready while up creates the containers
// (routerctl.Prepare): its start costs up no time of its own.
type routerPrep struct {
	done  chan struct{}
	notes []string
	err   error
}

// prepareRouter starts routerctl.Prepare for p; nil for a remote engine
// (routerUp says why).
func prepareRouter(ctx context.Context, api dockerapi.API, p *types.Project) *routerPrep {
	if !routerctl.Local(api.DaemonHost()) {
		return nil
	}
	rp := &routerPrep{done: make(chan struct{})}
	go func() {
		defer close(rp.done)
		rp.notes, rp.err = routerctl.Prepare(ctx, api, routerCache(), p)
	}()
	return rp
}

// wait lets a Prepare under way end before devstack does.
func (rp *routerPrep) wait() {
	if rp != nil {
		<-rp.done
	}
}

// routerUp gives the project its https://SERVICE.PROJECT.localhost names
// and prints them. A router that cannot start fails no up: one warning.
func routerUp(ctx context.Context, g *globals, api dockerapi.API, p *types.Project, prep *routerPrep) {
	if host := api.DaemonHost(); !routerctl.Local(host) {
		fmt.Fprintf(g.stderr, "router: off for the remote engine at %s (its ports would be on that machine's loopback)\n", host)
		return
	}
	var a routerctl.Attached
	err := prep.result()
	dir, derr := router.CADir()
	var ca *router.CA
	if err == nil && derr == nil {
		ca, err = router.LoadCA(dir)
	} else if err == nil {
		err = derr
	}
	if err == nil {
		a, err = routerctl.Attach(ctx, api, ca, routerCache(), p)
	}
	if err != nil {
		fmt.Fprintf(g.stderr, "warning: router: %v; no https://SERVICE.%s.localhost URLs (--router=false or DEVSTACK_ROUTER=0 leave the router out)\n", err, p.Name)
		return
	}
	for _, n := range append(prep.notesOf(), a.Notes...) {
		fmt.Fprintf(g.stderr, "router: %s\n", n)
	}
	for _, l := range urlLines(a.Router, a.State) {
		fmt.Fprintln(g.stdout, l)
	}
}

func (rp *routerPrep) result() error {
	if rp == nil {
		return nil
	}
	<-rp.done
	return rp.err
}

func (rp *routerPrep) notesOf() []string {
	if rp == nil {
		return nil
	}
	return rp.notes
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
	if !routerOn() {
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
	if !routerOn() {
		return
	}
	ctx = context.WithoutCancel(ctx)
	if err := routerctl.Refresh(ctx, api, routerCache(), project); err != nil {
		fmt.Fprintf(g.stderr, "warning: router: %v\n", err)
	}
}

// routerDown takes the project off the router before down removes its
// networks, whether or not the router is on now: an up --router earlier
// put it there.
func routerDown(ctx context.Context, g *globals, api dockerapi.API, project string) {
	if err := routerctl.Detach(ctx, api, routerCache(), project); err != nil {
		fmt.Fprintf(g.stderr, "warning: router: %v\n", err)
	}
}
