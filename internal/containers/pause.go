package containers

import (
	"context"
	"fmt"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
)

// Pause pauses the running containers of the named services (all when none named).
func Pause(ctx context.Context, api dockerapi.ContainerAPI, project string, services []string, out progress.Progress) error {
	return eachContainer(ctx, api, project, services, "running", "Paused", api.ContainerPause, out)
}

// Unpause resumes the paused containers of the named services (all when none named).
func Unpause(ctx context.Context, api dockerapi.ContainerAPI, project string, services []string, out progress.Progress) error {
	return eachContainer(ctx, api, project, services, "paused", "Unpaused", api.ContainerUnpause, out)
}

// eachContainer calls fn on the selected containers in the given state
// and reports each as done; none in that state is an error.
func eachContainer(ctx context.Context, api dockerapi.ContainerAPI, project string, services []string, state, done string, fn func(context.Context, string) error, out progress.Progress) error {
	cs, err := Select(ctx, api, project, services)
	if err != nil {
		return err
	}
	n := 0
	for _, c := range cs {
		if c.State != state {
			continue
		}
		if err := fn(ctx, c.ID); err != nil {
			return NamedError(c.Name, err)
		}
		n++
		progress.Status(out, progress.KindContainer, c.Name, done)
	}
	if n == 0 {
		return fmt.Errorf("%w: project %s has no %s containers%s", convert.ErrNoContainer, project, state, ServicesThere(cs))
	}
	return nil
}
