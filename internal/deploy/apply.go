package deploy

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/docker/docker/api/types/swarm"
	"golang.org/x/sync/errgroup"

	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/stack"
)

// Options change what Deploy does.
type Options struct {
	// Detach returns once the services are created or updated, without
	// waiting for the last ones to converge (depends_on is still honoured).
	Detach bool
	// Prune removes the stack's services that are not in the stack.
	Prune bool
	// Partial says the stack holds only some of the project's services:
	// the others are left alone, nothing is pruned, no stale secret or
	// config removed.
	Partial bool
	// Auth gives the encoded registry credentials sent with an image
	// (--with-registry-auth); nil sends none.
	Auth func(image string) (string, error)
	// Timeout bounds the whole deploy, its waits included (0: none). When
	// it expires, Deploy fails with a Stopped that says which services had
	// not converged and why; nothing is removed or rolled back.
	Timeout time.Duration
	// ResolveImage says which images are pinned to their registry digest:
	// ResolveAlways (as "": docker stack deploy's default), ResolveChanged
	// or ResolveNever.
	ResolveImage string
}

// Deploy applies the stack to the swarm: checks first (a manager, external
// objects exist, each placement matches a node, each new image is on this
// engine or in a registry), then networks, secrets and configs, then the
// services level by level in depends_on order, waiting for a level to
// converge before the services that depend on it; then it waits for the
// rest (unless Detach), prunes (Prune) and removes stale secrets and
// configs. If a deploy fails before everything converged, what it created
// is removed again; updates are the engine's to roll back. Interrupted or
// at its Timeout, it keeps what it created and updated and says so
// (Stopped).
func Deploy(ctx context.Context, api API, st *stack.Stack, o Options, out progress.Progress) error {
	if o.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Timeout)
		defer cancel()
	}
	u := &undo{}
	p, err := prepare(ctx, api, st, o, out)
	if err == nil {
		err = apply(ctx, api, st, p.observed, p.plan, p.levels, p.auths, o, u, out)
	}
	switch {
	case err != nil && ctx.Err() != nil:
		return u.stopped(err, ctx.Err(), o.Timeout)
	case err != nil:
		if !u.empty() {
			u.run(context.WithoutCancel(ctx), out)
		}
		return err
	}
	if o.Prune && !o.Partial {
		if err := prune(ctx, api, st.Namespace, p.plan, out); err != nil {
			return err
		}
	}
	if !o.Partial {
		removeStale(ctx, api, st, p.observed, out)
	}
	return nil
}

// prepared is what a deploy found and decided before changing anything.
type prepared struct {
	observed Observed
	plan     stack.Plan
	levels   [][]stack.Service
	auths    map[string]string
}

// prepare observes the stack, plans, checks and resolves the images.
func prepare(ctx context.Context, api API, st *stack.Stack, o Options, out progress.Progress) (p prepared, err error) {
	if err := ensureManager(ctx, api); err != nil {
		return p, err
	}
	if p.observed, err = Observe(ctx, api, st.Namespace); err != nil {
		return p, err
	}
	if p.plan, err = stack.Diff(st, p.observed.serviceStates()); err != nil {
		return p, err
	}
	if p.levels, err = stack.Levels(st); err != nil {
		return p, err
	}
	if p.auths, err = check(ctx, api, st, p.plan, o); err != nil {
		return p, err
	}
	if o.ResolveImage != ResolveNever {
		mode := cmp.Or(o.ResolveImage, ResolveAlways)
		p.plan, err = resolveImages(ctx, api, p.plan, p.observed.Services, mode, o.Auth, out)
	}
	return p, err
}

// check runs the checks that need no change on the swarm and returns the
// registry credentials per image.
func check(ctx context.Context, api API, st *stack.Stack, plan stack.Plan, o Options) (map[string]string, error) {
	if err := checkExternal(ctx, api, st); err != nil {
		return nil, err
	}
	nodes, err := api.NodeList(ctx, swarm.NodeListOptions{})
	if err != nil {
		return nil, err
	}
	auths := map[string]string{}
	for _, a := range plan.Actions {
		if a.Kind != stack.Create && a.Kind != stack.Update {
			continue
		}
		if err := checkPlacement(a.Service.Name, a.Service.Spec, nodes); err != nil {
			return nil, err
		}
		image := a.Service.Spec.TaskTemplate.ContainerSpec.Image
		if _, done := auths[image]; done {
			continue
		}
		if o.Auth != nil {
			if auths[image], err = o.Auth(image); err != nil {
				return nil, fmt.Errorf("service %s: registry credentials for %s: %w", a.Service.Name, image, err)
			}
		} else {
			auths[image] = ""
		}
		if err := checkImage(ctx, api, a.Service.Name, image, auths[image], o.Auth != nil); err != nil {
			return nil, err
		}
	}
	return auths, nil
}

// apply creates the objects and services and waits as Deploy says.
func apply(ctx context.Context, api API, st *stack.Stack, observed Observed, plan stack.Plan, levels [][]stack.Service,
	auths map[string]string, o Options, u *undo, out progress.Progress) error {
	if err := ensureNetworks(ctx, api, st, observed, out, u); err != nil {
		return err
	}
	ids, err := ensureObjects(ctx, api, st, observed, out, u)
	if err != nil {
		return err
	}
	actions := map[string]stack.Action{}
	for _, a := range plan.Actions {
		if a.Kind != stack.Prune {
			actions[a.Service.Name] = a
		}
	}
	var all []waitItem
	for i, level := range levels {
		items, err := applyLevel(ctx, api, st.Namespace, level, actions, ids, auths, u, out)
		if err != nil {
			return err
		}
		if i+1 < len(levels) {
			deps := dependedOn(items, level, levels[i+1:])
			if err := waitConverged(ctx, api, deps, out); err != nil {
				return err
			}
			for j := range items {
				// said converged already: the final wait checks them quietly
				items[j].quiet = items[j].quiet || slices.ContainsFunc(deps, func(d waitItem) bool { return d.name == items[j].name })
			}
		}
		all = append(all, items...)
	}
	if o.Detach {
		return nil
	}
	return waitConverged(ctx, api, all, out)
}

// applyLevel creates or updates the services of one level at once.
func applyLevel(ctx context.Context, api API, ns string, level []stack.Service, actions map[string]stack.Action,
	ids ids, auths map[string]string, u *undo, out progress.Progress) ([]waitItem, error) {
	items := make([]waitItem, len(level))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i, s := range level {
		a := actions[s.Name]
		g.Go(func() error {
			id, err := applyService(gctx, api, a, ids, auths[s.Spec.TaskTemplate.ContainerSpec.Image], out)
			if err != nil {
				return err
			}
			switch a.Kind {
			case stack.Create:
				u.add(func(ctx context.Context) error { return removeServices(ctx, api, ns, []string{id}) }, "service "+s.Spec.Name)
			case stack.Update:
				u.update(s.Spec.Name)
			}
			items[i] = waitItem{name: s.Spec.Name, created: a.Kind == stack.Create, updated: a.Kind == stack.Update,
				quiet: a.Kind == stack.Unchanged}
			return nil
		})
	}
	return items, g.Wait()
}

// dependedOn is the items of a level that a later level depends on.
func dependedOn(items []waitItem, level []stack.Service, later [][]stack.Service) []waitItem {
	needed := map[string]bool{}
	for _, l := range later {
		for _, s := range l {
			for dep := range s.DependsOn {
				needed[dep] = true
			}
		}
	}
	var out []waitItem
	for i, s := range level {
		if needed[s.Name] {
			out = append(out, items[i])
		}
	}
	return out
}

// undo records what a deploy created, to remove it again when the deploy
// fails: services first, then networks, secrets and configs.
type undo struct {
	mu      sync.Mutex
	steps   []undoStep
	updated []string // the services updated, which an undo leaves to the engine
}

type undoStep struct {
	what string
	do   func(context.Context) error
}

func (u *undo) add(do func(context.Context) error, what string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.steps = append(u.steps, undoStep{what, do})
}

func (u *undo) update(service string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.updated = append(u.updated, service)
}

func (u *undo) empty() bool { return len(u.steps) == 0 }

// stopped is the error of a deploy that ended with err when its context
// did (ctxErr: interrupted, or its timeout expired): nothing is undone,
// the error says what is kept.
func (u *undo) stopped(err, ctxErr error, timeout time.Duration) *Stopped {
	u.mu.Lock()
	defer u.mu.Unlock()
	e := &Stopped{Updated: slices.Clone(u.updated), Err: ctxErr}
	if errors.Is(ctxErr, context.DeadlineExceeded) {
		e.Timeout = timeout
	}
	for _, s := range u.steps {
		e.Created = append(e.Created, s.what)
	}
	if nc := (*notConverged)(nil); errors.As(err, &nc) {
		e.NotConverged = nc.services
	}
	return e
}

// run undoes in reverse order of creation (services before the networks
// and objects they use).
func (u *undo) run(ctx context.Context, out progress.Progress) {
	var errs []error
	for i := len(u.steps) - 1; i >= 0; i-- {
		if err := u.steps[i].do(ctx); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", u.steps[i].what, err))
		}
	}
	detail := fmt.Sprintf("the deploy failed: removed the %d objects it had created", len(u.steps))
	if err := errors.Join(errs...); err != nil {
		detail += "; could not remove: " + err.Error()
	}
	out.Event(progress.Event{Kind: progress.KindWarning, Detail: detail})
}
