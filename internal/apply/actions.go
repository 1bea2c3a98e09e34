package apply

import (
	"context"
	"fmt"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/progress"
)

// ServiceActions carries out the dashboard's requests on one project's
// services (it is the dashboard's tui.Actions). They report no progress:
// the dashboard shows their effect from the engine's events.
type ServiceActions struct {
	API     dockerapi.API
	Monitor *logs.Monitor
	Project string
	Images  ImageOptions // how Recreate gets the service's image
	// Resolve loads the project with the named service selected: the
	// whole project and the selected part (Recreate needs the service's
	// configuration: the compose file's or the presets').
	Resolve func(ctx context.Context, service string) (full, selected *types.Project, err error)
}

func (a ServiceActions) quiet() progress.Progress { return progress.Discard }

// Restart restarts the service's containers.
func (a ServiceActions) Restart(ctx context.Context, service string) error {
	return containers.Restart(ctx, a.API, a.Project, containers.RestartOptions{Services: []string{service}}, a.quiet())
}

// Stop stops the service's containers.
func (a ServiceActions) Stop(ctx context.Context, service string) error {
	return containers.Stop(ctx, a.API, a.Project, []string{service}, nil, a.quiet())
}

// Start starts the service's containers.
func (a ServiceActions) Start(ctx context.Context, service string) error {
	return containers.Start(ctx, a.API, a.Project, []string{service}, nil, a.quiet())
}

// RestartAll restarts every container of the project.
func (a ServiceActions) RestartAll(ctx context.Context) error {
	return containers.Restart(ctx, a.API, a.Project, containers.RestartOptions{}, a.quiet())
}

// Recreate builds or pulls the service's image (as its pull_policy says)
// and replaces its containers as up does (the old one renamed aside until
// the new one exists, and back in place when it cannot be made); what it
// depends on is left as it is, or started if it is not running. It needs
// the project's compose file (or the presets) to know the service's
// configuration.
func (a ServiceActions) Recreate(ctx context.Context, service string) error {
	full, selected, err := a.Resolve(ctx, service)
	if err != nil {
		return err
	}
	if selected.Name != a.Project {
		return fmt.Errorf("the compose project here is %s, not %s: run dash from the project's directory", selected.Name, a.Project)
	}
	opts := UpOptions{
		PlanOptions:  plan.PlanOptions{Recreate: []string{service}},
		ImageOptions: a.Images,
		Known:        append(full.ServiceNames(), full.DisabledServiceNames()...),
	}
	_, err = Up(ctx, a.API, a.Monitor, selected, opts, a.quiet())
	return err
}
