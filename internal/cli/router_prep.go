package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/spf13/cobra"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/router"
	"github.com/devstack/devstack/internal/routerctl"
)

// routerPrep is the router made ready while up creates the containers
// (routerctl.Prepare): its start costs up no time of its own.
type routerPrep struct {
	done  chan struct{}
	notes []string
	err   error
}

// routerFlag notes whether --router or --no-router was given (then it
// decides whatever else says); both, saying opposite things, is an error.
func routerFlag(f upFlags, cmd *cobra.Command) (upFlags, error) {
	f.routerSet = cmd.Flags().Changed("router")
	if f.noRouter {
		if f.routerSet && f.router {
			return f, errors.New("--router and --no-router cannot be combined")
		}
		f.router, f.routerSet = false, true
	}
	return f, nil
}

// runUpCmd is runUp with up's router flags read.
func runUpCmd(cmd *cobra.Command, g *globals, f upFlags, services []string) error {
	f, err := routerFlag(f, cmd)
	if err != nil {
		return err
	}
	return runUp(cmd.Context(), g, f, services)
}

// upRouter: when up gives the project router names (routerWanted), the
// CA offered to the selected services p and routerctl.Prepare started for
// the whole project full; nil when not.
func upRouter(ctx context.Context, g *globals, api dockerapi.API, f upFlags, full, p *types.Project) (*routerPrep, error) {
	if !routerWanted(g, f, full) {
		if routerCache().Has(full.Name) { // an earlier up gave it names: its containers are about to leave the router
			fmt.Fprintf(g.stderr, "router: off for this up: the names of %s taken off the router\n", full.Name)
			routerDown(ctx, g, api, full.Name)
		}
		return nil, nil
	}
	if err := offerCA(g, api, full, p); err != nil {
		return nil, err
	}
	return prepareRouter(ctx, api, full), nil
}

// prepareRouter starts routerctl.Prepare for p.
func prepareRouter(ctx context.Context, api dockerapi.API, p *types.Project) *routerPrep {
	rp := &routerPrep{done: make(chan struct{})}
	if routerOffHere(api) != "" {
		close(rp.done) // routerUp says why not
		return rp
	}
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
	if prep == nil {
		return
	}
	if why := routerOffHere(api); why != "" {
		fmt.Fprintf(g.stderr, "router: off %s\n", why)
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
		fmt.Fprintf(g.stderr, "warning: router: %v; no https://SERVICE.%s.localhost URLs (--no-router or DEVSTACK_ROUTER=0 leave the router out)\n", err, p.Name)
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

// routerOffHere says why the router is off on api's engine whatever asks
// for it, "" when it can run there: a remote engine (its ports would be on
// that machine's loopback). Podman runs it as Docker does (its network of
// a project differs there: routerctl's internalNetwork).
func routerOffHere(api dockerapi.API) string {
	if host := api.DaemonHost(); !routerctl.Local(host) {
		return "for the remote engine at " + host + " (its ports would be on that machine's loopback)"
	}
	return ""
}
