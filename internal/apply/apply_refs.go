package apply

import (
	"context"
	"os"
	"sort"
	"sync"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/plan"
)

// createGate holds back the creation of containers that name another
// service's container (network_mode/ipc/pid service:, volumes_from,
// links) until that service's containers of this plan are in place.
type createGate struct {
	mu      sync.Mutex
	pending map[string]int           // service -> its container actions not yet done
	done    map[string]chan struct{} // closed when pending reaches 0
}

func newCreateGate(pl plan.Plan) *createGate {
	g := &createGate{pending: map[string]int{}, done: map[string]chan struct{}{}}
	for _, act := range pl.Actions {
		switch act.Op {
		case plan.CreateContainer, plan.RecreateContainer, plan.StartContainer, plan.KeepContainer, plan.RestartContainer:
			g.pending[act.Service]++
			if g.done[act.Service] == nil {
				g.done[act.Service] = make(chan struct{})
			}
		}
	}
	return g
}

// finish marks one of the service's container actions done.
func (g *createGate) finish(service string) {
	if g == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.pending[service]--; g.pending[service] == 0 && g.done[service] != nil {
		close(g.done[service])
	}
}

// wait returns once every named service that has actions in the plan has
// finished them. compose-go makes each reference a depends_on entry and
// refuses cycles, so this cannot wait on itself.
func (g *createGate) wait(ctx context.Context, services []string) error {
	if g == nil {
		return nil
	}
	for _, name := range services {
		g.mu.Lock()
		ch := g.done[name]
		g.mu.Unlock()
		if ch == nil {
			continue
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// target is what the service's containers are converted for: the
// negotiated API version and the containers its references resolve to,
// this plan's where it made them, else the ones that already existed.
func (a *applier) target(ctx context.Context, refs []string) (convert.Target, error) {
	if err := a.gate.wait(ctx, refs); err != nil {
		return convert.Target{}, err
	}
	t := convert.Target{APIVersion: a.apiVersion, Refs: map[string][]convert.Ref{}, ProxyEnv: a.proxyEnv, ReadFile: os.ReadFile}
	for _, name := range refs {
		cs := a.containers(name)
		if len(cs) == 0 {
			cs = nil
			for _, c := range a.observed {
				if c.Service == name {
					cs = append(cs, c)
				}
			}
		}
		for _, c := range cs {
			t.Refs[name] = append(t.Refs[name], c.Ref())
		}
	}
	return t, nil
}

// refOrder puts the actions of referenced services before those of the
// services that reference them, so that waiting creations never hold
// every slot of the bounded group while what they wait for is unscheduled.
func refOrder(p *types.Project, pl plan.Plan) plan.Plan {
	level := map[string]int{}
	var depth func(name string, seen int) int
	depth = func(name string, seen int) int {
		if l, ok := level[name]; ok {
			return l
		}
		l := 0
		if s, ok := p.Services[name]; ok && seen < len(p.Services) {
			for _, ref := range convert.ServiceRefs(s) {
				l = max(l, depth(ref, seen+1)+1)
			}
		}
		level[name] = l
		return l
	}
	out := plan.Plan{Actions: append([]plan.Action(nil), pl.Actions...), Orphans: pl.Orphans}
	sort.SliceStable(out.Actions, func(i, j int) bool {
		return depth(out.Actions[i].Service, 0) < depth(out.Actions[j].Service, 0)
	})
	return out
}
