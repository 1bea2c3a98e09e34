package deploy

import (
	"context"
	"fmt"
	"slices"
	"strings"
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
	w := newWatch(items)
	last := map[string]string{}     // the verdict last said
	seenLast := map[string]string{} // and why, for the error when the wait is stopped
	done := map[string]bool{}
	for first := true; ; first = false {
		services, seen, err := w.look(ctx, api, time.Now())
		if err != nil {
			if ctx.Err() != nil {
				return stoppedWaiting(ctx, items, done, seenLast)
			}
			return err
		}
		for _, it := range items {
			if done[it.name] {
				continue
			}
			s, ok := find(services, it.name)
			if !ok {
				return fmt.Errorf("service %s: removed while waiting for it", it.name)
			}
			v := judge(s, seen[s.ID], it.updated, it.created, nodes)
			if v.Err != nil {
				return v.Err
			}
			text := formatVerdict(v)
			seenLast[it.name] = text
			if v.Why != "" {
				seenLast[it.name] += ": " + v.Why
			}
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
			return stoppedWaiting(ctx, items, done, seenLast)
		case <-time.After(pollEvery):
		}
	}
}

// stoppedWaiting is the error of a wait whose context ended: the services
// not converged yet, with what was last seen of each.
func stoppedWaiting(ctx context.Context, items []waitItem, done map[string]bool, last map[string]string) error {
	e := &notConverged{err: ctx.Err()}
	for _, it := range items {
		if !done[it.name] {
			text := last[it.name]
			if text == "" {
				text = "not seen yet"
			}
			e.services = append(e.services, fmt.Sprintf("%s (%s)", it.name, text))
		}
	}
	return e
}

// watch lists the services of a wait and their tasks, and remembers since
// when each service's tasks have been as they are.
type watch struct {
	services, upToDate, all filters.Args
	states                  map[string]string    // service ID -> its tasks' IDs and states
	since                   map[string]time.Time // service ID -> when states last changed
}

func newWatch(items []waitItem) *watch {
	w := &watch{services: filters.NewArgs(), upToDate: filters.NewArgs(filters.Arg("_up-to-date", "true")),
		all: filters.NewArgs(), states: map[string]string{}, since: map[string]time.Time{}}
	for _, it := range items {
		w.services.Add("name", it.name)
		w.upToDate.Add("service", it.name)
		w.all.Add("service", it.name)
	}
	return w
}

// look lists the services and, per service ID, what was seen of its tasks:
// those of the current spec, those of earlier ones, and for how long
// nothing has changed.
func (w *watch) look(ctx context.Context, api API, now time.Time) ([]swarm.Service, map[string]sight, error) {
	services, err := api.ServiceList(ctx, swarm.ServiceListOptions{Filters: w.services, Status: true})
	if err != nil {
		return nil, nil, err
	}
	current, err := api.TaskList(ctx, swarm.TaskListOptions{Filters: w.upToDate})
	if err != nil {
		return nil, nil, err
	}
	all, err := api.TaskList(ctx, swarm.TaskListOptions{Filters: w.all})
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]sight{}
	isCurrent := map[string]bool{}
	for _, t := range current {
		isCurrent[t.ID] = true
		s := seen[t.ServiceID]
		s.tasks = append(s.tasks, t)
		seen[t.ServiceID] = s
	}
	states := map[string][]string{}
	for _, t := range all {
		states[t.ServiceID] = append(states[t.ServiceID], t.ID+" "+string(t.Status.State)+" "+string(t.DesiredState))
		if !isCurrent[t.ID] {
			s := seen[t.ServiceID]
			s.old = append(s.old, t)
			seen[t.ServiceID] = s
		}
	}
	for _, svc := range services {
		slices.Sort(states[svc.ID])
		key := strings.Join(states[svc.ID], ",")
		if _, ok := w.since[svc.ID]; !ok || w.states[svc.ID] != key {
			w.states[svc.ID], w.since[svc.ID] = key, now
		}
		s := seen[svc.ID]
		s.still = now.Sub(w.since[svc.ID])
		seen[svc.ID] = s
	}
	return services, seen, nil
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
