package containers

import (
	"context"

	"github.com/devstack/devstack/internal/dockerapi"
)

// TopResult is the processes of one container.
type TopResult struct {
	Name      string
	Titles    []string
	Processes [][]string
}

// Top lists the processes of the running containers of the named services (all when none named).
func Top(ctx context.Context, api dockerapi.ContainerAPI, project string, services []string) ([]TopResult, error) {
	cs, err := Select(ctx, api, project, services)
	if err != nil {
		return nil, err
	}
	var out []TopResult
	for _, c := range cs {
		if !c.Running() {
			continue
		}
		t, err := api.ContainerTop(ctx, c.ID, nil)
		if err != nil {
			return nil, NamedError(c.Name, err)
		}
		out = append(out, TopResult{Name: c.Name, Titles: t.Titles, Processes: t.Processes})
	}
	return out, nil
}
