package deploy

import (
	"cmp"
	"context"
	"slices"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"

	"github.com/devstack/devstack/internal/stack"
)

// StackSummary is one stack on the swarm, as `deploy ls` shows it.
type StackSummary struct {
	Name     string
	Services int
}

// Stacks lists the stacks on the swarm: the namespaces of its services.
func Stacks(ctx context.Context, api API) ([]StackSummary, error) {
	if err := ensureManager(ctx, api); err != nil {
		return nil, err
	}
	services, err := api.ServiceList(ctx, swarm.ServiceListOptions{Filters: filters.NewArgs(filters.Arg("label", stack.LabelNamespace))})
	if err != nil {
		return nil, err
	}
	count := map[string]int{}
	for _, s := range services {
		count[s.Spec.Labels[stack.LabelNamespace]]++
	}
	out := make([]StackSummary, 0, len(count))
	for name, n := range count {
		out = append(out, StackSummary{Name: name, Services: n})
	}
	slices.SortFunc(out, func(a, b StackSummary) int { return cmp.Compare(a.Name, b.Name) })
	return out, nil
}

// OtherNodes are the hostnames of the swarm's nodes other than this
// engine's, sorted.
func OtherNodes(ctx context.Context, api API) ([]string, error) {
	info, err := api.Info(ctx)
	if err != nil {
		return nil, err
	}
	nodes, err := api.NodeList(ctx, swarm.NodeListOptions{})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range nodes {
		if n.ID != info.Swarm.NodeID {
			out = append(out, n.Description.Hostname)
		}
	}
	slices.Sort(out)
	return out, nil
}
