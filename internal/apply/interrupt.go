package apply

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/docker/docker/api/types/network"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/plan"
)

// Interrupted is Up's error when its context ended (Ctrl-C, SIGTERM): the
// step it was in and, once Describe filled it in, what the project has on
// the engine now. It unwraps to the context's error and to the error the
// step ended with.
type Interrupted struct {
	Step  string // e.g. "creating containers"
	Left  string // what is left on the engine (Describe)
	Cause error  // the context's error (context.Canceled)
	Err   error  // what the step returned
}

func (e *Interrupted) Error() string {
	msg := "interrupted while " + e.Step
	if e.Left != "" {
		msg += "; " + e.Left
	}
	return msg
}

func (e *Interrupted) Unwrap() []error { return []error{e.Cause, e.Err} }

// Describe fills in Left from the engine, with a context of its own (the
// command's is over). A failure to look leaves it empty.
func (e *Interrupted) Describe(ctx context.Context, api dockerapi.API, project string) {
	cs, err := containers.List(ctx, api, project, false)
	if err != nil {
		return
	}
	nets, err := api.NetworkList(ctx, network.ListOptions{Filters: containers.ProjectFilter(project)})
	if err != nil {
		return
	}
	names := make([]string, 0, len(nets))
	for _, n := range nets {
		names = append(names, n.Name)
	}
	e.Left = LeftOver(cs, names)
}

// LeftOver says in one sentence what an interrupted up left: the
// project's containers by state and its networks, and that `up` picks up
// from there. Pure.
func LeftOver(cs []plan.Container, networks []string) string {
	if len(cs) == 0 && len(networks) == 0 {
		return "nothing of the project is on the engine; `devstack up` starts from scratch"
	}
	byState := map[string][]string{}
	for _, c := range cs {
		byState[c.State] = append(byState[c.State], c.Name)
	}
	states := make([]string, 0, len(byState))
	for s := range byState {
		states = append(states, s)
	}
	sort.Strings(states)
	var parts []string
	for _, s := range states {
		sort.Strings(byState[s])
		parts = append(parts, fmt.Sprintf("%s: %s", s, strings.Join(byState[s], ", ")))
	}
	if len(networks) > 0 {
		sort.Strings(networks)
		parts = append(parts, "network "+strings.Join(networks, ", "))
	}
	return "left on the engine: " + strings.Join(parts, "; ") + "; `devstack up` picks up from there, `devstack down` removes it"
}
