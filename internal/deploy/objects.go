package deploy

import (
	"context"
	"fmt"

	"github.com/containerd/errdefs"

	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/stack"
)

// ids maps the names of the stack's secrets and configs to their IDs on
// the swarm, for the services' references.
type ids struct{ secrets, configs map[string]string }

// checkExternal makes sure every external network, secret and config
// exists before anything is created.
func checkExternal(ctx context.Context, api API, st *stack.Stack) error {
	for _, n := range st.Networks {
		if !n.External {
			continue
		}
		if _, err := api.NetworkInspect(ctx, n.Name, networkInspectOpts); err != nil {
			if errdefs.IsNotFound(err) {
				return fmt.Errorf("network %s (networks.%s, external): %w", n.Name, n.Key, ErrMissing)
			}
			return err
		}
	}
	return nil
}

// ensureNetworks creates the stack's networks that are missing.
func ensureNetworks(ctx context.Context, api API, st *stack.Stack, o Observed, out progress.Progress, u *undo) error {
	have := map[string]bool{}
	for _, n := range o.Networks {
		have[n.Name] = true
	}
	for _, n := range st.Networks {
		if n.External || have[n.Name] {
			continue
		}
		opts := n.Create
		if opts.Driver == "" {
			opts.Driver = "overlay"
		}
		if opts.Labels == nil {
			opts.Labels = map[string]string{}
		}
		opts.Labels[stack.LabelNamespace] = st.Namespace
		r, err := api.NetworkCreate(ctx, n.Name, opts)
		if err != nil {
			return fmt.Errorf("network %s: %w", n.Name, err)
		}
		u.add(func(ctx context.Context) error { return removeNetwork(ctx, api, r.ID) }, "network "+n.Name)
		out.Event(progress.Event{Kind: progress.KindNetwork, Name: n.Name, Status: "Created"})
	}
	return nil
}

// ensureObjects creates the stack's secrets and configs that are missing
// (a changed content has a new name) and returns every name's ID, external
// ones included.
func ensureObjects(ctx context.Context, api API, st *stack.Stack, o Observed, out progress.Progress, u *undo) (ids, error) {
	secrets, err := secretKind(api, o, st.Secrets).ensure(ctx, out, u)
	if err != nil {
		return ids{}, err
	}
	configs, err := configKind(api, o, st.Configs).ensure(ctx, out, u)
	if err != nil {
		return ids{}, err
	}
	return ids{secrets: secrets, configs: configs}, nil
}

// removeStale removes the stack's secrets and configs that no desired
// service uses any more (older contents, removed keys). One still in use
// (by a service a failed deploy left on it) stays, said as a warning.
func removeStale(ctx context.Context, api API, st *stack.Stack, o Observed, out progress.Progress) {
	secretKind(api, o, st.Secrets).removeStale(ctx, out)
	configKind(api, o, st.Configs).removeStale(ctx, out)
}
