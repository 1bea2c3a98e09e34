package cli

import (
	"fmt"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/presets"
	"github.com/devstack/devstack/internal/router"
)

// offerCA gives the projects' containers the router's CA when the router
// is on for them (routerWanted, routerProject) and can run on the engine (routerOffHere),
// as the router itself: the CA's offer directory mounted read-only and
// the variables of convert.CAEnv (see convert.OfferCA). A CA that cannot
// be read or made is a warning (routerUp says it too); a bad x-devstack.ca
// fails before anything is created.
func offerCA(g *globals, api dockerapi.API, projects ...*types.Project) error {
	if routerOffHere(api) != "" {
		return nil
	}
	dir, err := router.CADir()
	var ca *router.CA
	if err == nil {
		ca, err = router.LoadCA(dir)
	}
	var o router.Offer
	if err == nil {
		o, err = ca.WriteOffer()
	}
	if err != nil {
		fmt.Fprintf(g.stderr, "warning: router: %v; the CA is not offered to containers\n", err)
		return nil
	}
	for _, p := range projects {
		if err := convert.OfferCA(p, convert.CAOffer{Dir: o.Dir, Bundle: o.Bundle, Wants: presets.CAOf}); err != nil {
			return err
		}
	}
	return nil
}
