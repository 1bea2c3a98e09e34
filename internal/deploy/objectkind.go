package deploy

import (
	"context"
	"fmt"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/swarm"

	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/stack"
)

// objectKind is one kind of the swarm objects a stack's services use,
// secrets or configs: deploy creates, looks up and removes both alike,
// through the kind's own API calls.
type objectKind struct {
	word     string                 // "secret", "config"
	kind     progress.Kind          // progress.KindSecret, KindConfig
	observed []stack.ObservedObject // the swarm's, labelled with the stack
	want     []wantObject           // the stack's
	// named lists the objects whose name contains name.
	named  func(ctx context.Context, name string) ([]stack.ObservedObject, error)
	remove func(ctx context.Context, id string) error
}

// wantObject is one secret or config the stack's services use.
type wantObject struct {
	name     string // NAMESPACE_KEY-<hash>, or the external name
	key      string // under secrets: or configs:
	external bool
	create   func(ctx context.Context) (id string, err error)
}

// secretKind is the stack's secrets: want (none when removing) and those
// the swarm has, o.
func secretKind(api API, o Observed, want []stack.Secret) objectKind {
	k := objectKind{word: "secret", kind: progress.KindSecret, remove: api.SecretRemove,
		named: func(ctx context.Context, name string) ([]stack.ObservedObject, error) {
			list, err := api.SecretList(ctx, swarm.SecretListOptions{Filters: nameArgs(name)})
			return observedObjects(list, secretObject), err
		}}
	k.observed = observedObjects(o.Secrets, secretObject)
	for _, s := range want {
		k.want = append(k.want, wantObject{name: s.Name, key: s.Key, external: s.External,
			create: func(ctx context.Context) (string, error) { r, err := api.SecretCreate(ctx, s.Spec); return r.ID, err }})
	}
	return k
}

// configKind is secretKind for configs.
func configKind(api API, o Observed, want []stack.Config) objectKind {
	k := objectKind{word: "config", kind: progress.KindConfig, remove: api.ConfigRemove,
		named: func(ctx context.Context, name string) ([]stack.ObservedObject, error) {
			list, err := api.ConfigList(ctx, swarm.ConfigListOptions{Filters: nameArgs(name)})
			return observedObjects(list, configObject), err
		}}
	k.observed = observedObjects(o.Configs, configObject)
	for _, c := range want {
		k.want = append(k.want, wantObject{name: c.Name, key: c.Key, external: c.External,
			create: func(ctx context.Context) (string, error) { r, err := api.ConfigCreate(ctx, c.Spec); return r.ID, err }})
	}
	return k
}

func secretObject(s swarm.Secret) stack.ObservedObject {
	return stack.ObservedObject{ID: s.ID, Name: s.Spec.Name}
}
func configObject(c swarm.Config) stack.ObservedObject {
	return stack.ObservedObject{ID: c.ID, Name: c.Spec.Name}
}

func observedObjects[T any](list []T, object func(T) stack.ObservedObject) []stack.ObservedObject {
	out := make([]stack.ObservedObject, 0, len(list))
	for _, x := range list {
		out = append(out, object(x))
	}
	return out
}

// ensure creates the objects that are missing (a changed content has a new
// name) and returns every name's ID, the observed and external ones
// included. What it creates, u removes if the deploy fails.
func (k objectKind) ensure(ctx context.Context, out progress.Progress, u *undo) (map[string]string, error) {
	ids := map[string]string{}
	for _, o := range k.observed {
		ids[o.Name] = o.ID
	}
	for _, w := range k.want {
		if _, ok := ids[w.name]; ok {
			continue
		}
		if w.external {
			id, err := k.lookup(ctx, w)
			if err != nil {
				return ids, err
			}
			ids[w.name] = id
			continue
		}
		id, err := w.create(ctx)
		if err != nil {
			return ids, fmt.Errorf("%s %s: %w", k.word, w.name, err)
		}
		ids[w.name] = id
		u.add(func(ctx context.Context) error { return k.remove(ctx, id) }, k.word+" "+w.name)
		out.Event(progress.Event{Kind: k.kind, Name: w.name, Status: "Created"})
	}
	return ids, nil
}

// lookup finds an external object's ID; ErrMissing when it does not exist.
func (k objectKind) lookup(ctx context.Context, w wantObject) (string, error) {
	list, err := k.named(ctx, w.name)
	if err != nil {
		return "", err
	}
	for _, x := range list {
		if x.Name == w.name {
			return x.ID, nil
		}
	}
	return "", fmt.Errorf("%s %s (%ss.%s, external): %w", k.word, w.name, k.word, w.key, ErrMissing)
}

// removeStale removes the observed objects that are not wanted any more
// (older contents, removed keys). One still in use (by a service a failed
// deploy left on it) stays, said as a warning.
func (k objectKind) removeStale(ctx context.Context, out progress.Progress) {
	names := make([]string, 0, len(k.want))
	for _, w := range k.want {
		names = append(names, w.name)
	}
	for _, o := range stack.StaleObjects(names, k.observed) {
		if err := k.remove(ctx, o.ID); err != nil {
			out.Event(progress.Event{Kind: progress.KindWarning, Detail: fmt.Sprintf("%s %s not removed: %v", k.word, o.Name, err)})
			continue
		}
		out.Event(progress.Event{Kind: k.kind, Name: o.Name, Status: "Removed"})
	}
}

// removeAll removes every observed object (one already gone is no error)
// and returns what failed.
func (k objectKind) removeAll(ctx context.Context, out progress.Progress) []error {
	var errs []error
	for _, o := range k.observed {
		if err := k.remove(ctx, o.ID); err != nil && !errdefs.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("%s %s: %w", k.word, o.Name, err))
			continue
		}
		out.Event(progress.Event{Kind: k.kind, Name: o.Name, Status: "Removed"})
	}
	return errs
}
