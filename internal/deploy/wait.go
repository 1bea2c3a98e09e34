package deploy

import (
	"context"
	"fmt"
	"time"

	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/swarm"

	"github.com/devstack/devstack/internal/progress"
)

// pollEvery is how often a wait looks at the services and their tasks.
const pollEvery = 250 * time.Millisecond

// waitItem is a service a wait is about, by its swarm name.
type waitItem struct {
	name             string
	created, updated bool
	quiet            bool // unchanged: said only if it has not converged at first sight
}

// waitConverged polls until every item has converged (see judge), and
// reports each one's progress when it changes. It fails with the first
// service that will not converge by itself.
func waitConverged(ctx context.Context, api API, items []waitItem, out progress.Progress) error {
	if len(items) == 0 {
		return nil
	}
	nodes, err := nodeNames(ctx, api)
	if err != nil {
		return err
	}
	f := filters.NewArgs(filters.Arg("_up-to-date", "true"))
	sf := filters.NewArgs()
	for _, it := range items {
		f.Add("service", it.name)
		sf.Add("name", it.name)
	}
	last := map[string]string{}
	done := map[string]bool{}
	for first := true; ; first = false {
		services, err := api.ServiceList(ctx, swarm.ServiceListOptions{Filters: sf, Status: true})
		if err != nil {
			return err
		}
		tasks, err := api.TaskList(ctx, swarm.TaskListOptions{Filters: f})
		if err != nil {
			return err
		}
		byService := map[string][]swarm.Task{}
		for _, t := range tasks {
			byService[t.ServiceID] = append(byService[t.ServiceID], t)
		}
		for _, it := range items {
			if done[it.name] {
				continue
			}
			s, ok := find(services, it.name)
			if !ok {
				return fmt.Errorf("service %s: removed while waiting for it", it.name)
			}
			v := judge(s, byService[s.ID], it.updated, it.created, nodes)
			if v.Err != nil {
				return v.Err
			}
			text := formatVerdict(v)
			if v.Done && first && it.quiet {
				done[it.name] = true
				continue
			}
			if v.Done {
				done[it.name] = true
				out.Event(progress.Event{Kind: progress.KindService, Name: it.name, Status: "Converged", Detail: text})
			} else if last[it.name] != text {
				out.Event(progress.Event{Kind: progress.KindService, Name: it.name, Status: "Converging", Detail: text})
			}
			last[it.name] = text
		}
		if len(done) == len(items) {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pollEvery):
		}
	}
}

func find(services []swarm.Service, name string) (swarm.Service, bool) {
	for _, s := range services {
		if s.Spec.Name == name {
			return s, true
		}
	}
	return swarm.Service{}, false
}

// nodeNames maps node IDs to hostnames.
func nodeNames(ctx context.Context, api API) (map[string]string, error) {
	nodes, err := api.NodeList(ctx, swarm.NodeListOptions{})
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(nodes))
	for _, n := range nodes {
		out[n.ID] = n.Description.Hostname
	}
	return out, nil
}

// formatVerdict is "2/3 running".
func formatVerdict(v Verdict) string {
	return fmt.Sprintf("%d/%d %s", v.Running, v.Desired, v.Phase)
}
