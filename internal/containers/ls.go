package containers

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"

	"github.com/devstack/devstack/internal/convert"

	"github.com/devstack/devstack/internal/dockerapi"
)

// ProjectRow is one compose project on the engine, as `ls` shows it.
type ProjectRow struct {
	Name        string `json:"Name"`
	Status      string `json:"Status"`          // running(3), exited(1)
	ConfigFiles string `json:"ConfigFiles"`     // from the containers' config_files label
	Watch       string `json:"Watch,omitempty"` // "watching (pid N)" while devstack watches the project
}

// Projects groups containers into projects by their compose project label:
// each project's status counts its containers per state, "exited(1),
// running(2)" as compose writes it; config files are the first container's
// label. Sorted by name. Pure.
func Projects(cs []container.Summary) []ProjectRow {
	type acc struct {
		states map[string]int
		files  string
	}
	byName := map[string]*acc{}
	for _, c := range cs {
		name := c.Labels[convert.LabelProject]
		if name == "" {
			continue
		}
		a := byName[name]
		if a == nil {
			a = &acc{states: map[string]int{}}
			byName[name] = a
		}
		a.states[c.State]++
		if a.files == "" {
			a.files = c.Labels[convert.LabelConfigFiles]
		}
	}
	rows := make([]ProjectRow, 0, len(byName))
	for name, a := range byName {
		states := make([]string, 0, len(a.states))
		for s := range a.states {
			states = append(states, s)
		}
		sort.Strings(states)
		parts := make([]string, len(states))
		for i, s := range states {
			parts[i] = fmt.Sprintf("%s(%d)", s, a.states[s])
		}
		rows = append(rows, ProjectRow{Name: name, Status: strings.Join(parts, ", "), ConfigFiles: a.files})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Name < rows[j].Name })
	return rows
}

// Ls lists the compose projects on the engine from one container list:
// those with running containers, or every one with all.
func Ls(ctx context.Context, api dockerapi.ContainerAPI, all bool) ([]ProjectRow, error) {
	cs, err := api.ContainerList(ctx, container.ListOptions{All: all, Filters: filters.NewArgs(filters.Arg("label", convert.LabelProject))})
	if err != nil {
		return nil, err
	}
	return Projects(cs), nil
}
