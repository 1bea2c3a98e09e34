package cli

import (
	"context"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/routerctl"
)

// quietRefresh is routerRefresh with nothing said (the dashboard owns the
// screen; the next up or ps says what is wrong).
func quietRefresh(api dockerapi.API, project string) func(ctx context.Context) {
	return func(ctx context.Context) {
		if routerServes(project) {
			_ = routerctl.Refresh(context.WithoutCancel(ctx), api, routerCache(), project)
		}
	}
}

// routedActions are the dashboard's actions on services, each followed
// by the router's routes of the project (routerRefresh), as the commands
// start, stop and restart are.
type routedActions struct {
	apply.ServiceActions
	after func(ctx context.Context)
}

func (a routedActions) then(ctx context.Context, err error) error {
	a.after(ctx)
	return err
}

func (a routedActions) Restart(ctx context.Context, service string) error {
	return a.then(ctx, a.ServiceActions.Restart(ctx, service))
}

func (a routedActions) Stop(ctx context.Context, service string) error {
	return a.then(ctx, a.ServiceActions.Stop(ctx, service))
}

func (a routedActions) Start(ctx context.Context, service string) error {
	return a.then(ctx, a.ServiceActions.Start(ctx, service))
}

func (a routedActions) RestartAll(ctx context.Context) error {
	return a.then(ctx, a.ServiceActions.RestartAll(ctx))
}

func (a routedActions) Recreate(ctx context.Context, service string) error {
	return a.then(ctx, a.ServiceActions.Recreate(ctx, service))
}
