package containers

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/plan"
)

// ServicesThere names the services that do have containers, for error messages.
func ServicesThere(cs []plan.Container) string {
	var names []string
	for _, c := range cs {
		if !slices.Contains(names, c.Service) {
			names = append(names, c.Service)
		}
	}
	if len(names) == 0 {
		return " (it has no containers at all: is it up?)"
	}
	return " (services with containers: " + strings.Join(names, ", ") + ")"
}

// Select lists the project's containers of the named services (all when none named).
func Select(ctx context.Context, api dockerapi.ContainerAPI, project string, services []string) ([]plan.Container, error) {
	cs, err := Observe(ctx, api, project)
	if err != nil {
		return nil, err
	}
	return Pick(project, cs, services)
}

// Pick keeps the containers of the named services (all when none
// named); naming only services without containers is an error.
func Pick(project string, cs []plan.Container, services []string) ([]plan.Container, error) {
	if len(services) == 0 {
		return cs, nil
	}
	want := map[string]bool{}
	for _, s := range services {
		want[s] = true
	}
	var kept []plan.Container
	for _, c := range cs {
		if want[c.Service] {
			kept = append(kept, c)
		}
	}
	if len(kept) == 0 {
		return nil, fmt.Errorf("%w: project %s has no containers of %s%s", convert.ErrNoContainer, project, strings.Join(services, ", "), ServicesThere(cs))
	}
	return kept, nil
}

// ProjectFilter selects what carries the project's label.
func ProjectFilter(project string) filters.Args {
	return filters.NewArgs(filters.Arg("label", convert.LabelProject+"="+project))
}

// Observe lists the project's service containers (not one-off), sorted by service and number.
func Observe(ctx context.Context, api dockerapi.ContainerAPI, project string) ([]plan.Container, error) {
	return List(ctx, api, project, false)
}

// List lists the project's containers, with the one-off ones
// (of run) when oneoff says so, sorted by service, one-off last, and number.
func List(ctx context.Context, api dockerapi.ContainerAPI, project string, oneoff bool) ([]plan.Container, error) {
	list, err := api.ContainerList(ctx, container.ListOptions{All: true, Filters: ProjectFilter(project)})
	if err != nil {
		return nil, err
	}
	out := make([]plan.Container, 0, len(list))
	for _, c := range list {
		isOneoff := strings.EqualFold(c.Labels[convert.LabelOneoff], "true")
		if isOneoff && !oneoff {
			continue
		}
		n, _ := strconv.Atoi(c.Labels[convert.LabelNumber])
		name := ""
		if len(c.Names) > 0 {
			name = strings.TrimPrefix(c.Names[0], "/")
		}
		out = append(out, plan.Container{
			ID: c.ID, Name: name, Service: c.Labels[convert.LabelService], Number: n,
			State: c.State, Status: c.Status, Hash: c.Labels[convert.LabelConfigHash],
			ImageID: c.ImageID, Labels: c.Labels, Summary: c, Oneoff: isOneoff,
		})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Service != out[j].Service {
			return out[i].Service < out[j].Service
		}
		if out[i].Oneoff != out[j].Oneoff {
			return out[j].Oneoff
		}
		if out[i].Number != out[j].Number {
			return out[i].Number < out[j].Number
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}
