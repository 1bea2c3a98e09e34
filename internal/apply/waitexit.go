package apply

import (
	"context"
	"fmt"

	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/plan"

	"github.com/devstack/devstack/internal/dockerapi"
)

// Exited is one container that stopped, for `devstack wait`.
type Exited struct {
	Container plan.Container
	Code      int
}

// WaitExit waits until the running containers of the services (all when
// none are named), one-off ones included, have stopped, and reports each
// on exited as it stops; with first, it returns once the first one has.
// It returns the exit code of the last one reported.
func WaitExit(ctx context.Context, api dockerapi.ContainerAPI, project string, services []string, first bool, exited func(Exited)) (int, error) {
	all, err := containers.List(ctx, api, project, true)
	if err != nil {
		return 0, err
	}
	cs, err := containers.Pick(project, all, services)
	if err != nil {
		return 0, err
	}
	var running []plan.Container
	for _, c := range cs {
		if c.Running() {
			running = append(running, c)
		}
	}
	if len(running) == 0 {
		return 0, fmt.Errorf("%w: no running containers in project %s%s", convert.ErrNoContainer, project, containers.ServicesThere(all))
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		Exited
		err error
	}
	results := make(chan result, len(running))
	for _, c := range running {
		go func() {
			waitC, errC := api.ContainerWait(ctx, c.ID, container.WaitConditionNotRunning)
			select {
			case w := <-waitC:
				results <- result{Exited: Exited{Container: c, Code: int(w.StatusCode)}}
			case err := <-errC:
				results <- result{err: fmt.Errorf("container %s: %w", c.Name, err)}
			}
		}()
	}
	code := 0
	for range running {
		r := <-results
		if r.err != nil {
			return 0, r.err
		}
		e := r.Exited
		exited(e)
		code = e.Code
		if first {
			break
		}
	}
	return code, nil
}
