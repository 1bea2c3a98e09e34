package cli

import (
	"context"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/logs"
)

// converge runs up's steps on the selected services with the given options,
// holding the project's lock.
func converge(ctx context.Context, g *globals, verb string, full, p *types.Project, o apply.UpOptions) error {
	api, err := g.client(ctx)
	if err != nil {
		return err
	}
	defer api.Close()
	if routerProject(g, full) {
		if err := offerCA(g, api, full, p); err != nil {
			return err
		}
	}
	unlock, err := g.lock(ctx, p.Name, verb)
	if err != nil {
		return err
	}
	defer unlock()
	o.ImageOptions = g.images(o.ImageOptions)
	o.Known = append(full.ServiceNames(), full.DisabledServiceNames()...)
	_, err = apply.Up(ctx, api, logs.NewMonitor(api, p.Name), p, o, g.printer())
	routerRefresh(ctx, g, api, p.Name) // scale: the replicas that came or went
	return err
}
