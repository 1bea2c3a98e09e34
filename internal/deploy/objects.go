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
		opts.Labels[LabelNamespace] = st.Namespace
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
	res := ids{secrets: map[string]string{}, configs: map[string]string{}}
	for _, s := range o.Secrets {
		res.secrets[s.Spec.Name] = s.ID
	}
	for _, c := range o.Configs {
		res.configs[c.Spec.Name] = c.ID
	}
	for _, s := range st.Secrets {
		if _, ok := res.secrets[s.Name]; ok {
			continue
		}
		if s.External {
			id, err := externalSecret(ctx, api, s)
			if err != nil {
				return res, err
			}
			res.secrets[s.Name] = id
			continue
		}
		r, err := api.SecretCreate(ctx, s.Spec)
		if err != nil {
			return res, fmt.Errorf("secret %s: %w", s.Name, err)
		}
		res.secrets[s.Name] = r.ID
		u.add(func(ctx context.Context) error { return api.SecretRemove(ctx, r.ID) }, "secret "+s.Name)
		out.Event(progress.Event{Kind: progress.KindSecret, Name: s.Name, Status: "Created"})
	}
	for _, c := range st.Configs {
		if _, ok := res.configs[c.Name]; ok {
			continue
		}
		if c.External {
			id, err := externalConfig(ctx, api, c)
			if err != nil {
				return res, err
			}
			res.configs[c.Name] = id
			continue
		}
		r, err := api.ConfigCreate(ctx, c.Spec)
		if err != nil {
			return res, fmt.Errorf("config %s: %w", c.Name, err)
		}
		res.configs[c.Name] = r.ID
		u.add(func(ctx context.Context) error { return api.ConfigRemove(ctx, r.ID) }, "config "+c.Name)
		out.Event(progress.Event{Kind: progress.KindConfig, Name: c.Name, Status: "Created"})
	}
	return res, nil
}

func externalSecret(ctx context.Context, api API, s stack.Secret) (string, error) {
	list, err := api.SecretList(ctx, nameFilter(s.Name))
	if err != nil {
		return "", err
	}
	for _, x := range list {
		if x.Spec.Name == s.Name {
			return x.ID, nil
		}
	}
	return "", fmt.Errorf("secret %s (secrets.%s, external): %w", s.Name, s.Key, ErrMissing)
}

func externalConfig(ctx context.Context, api API, c stack.Config) (string, error) {
	list, err := api.ConfigList(ctx, configNameFilter(c.Name))
	if err != nil {
		return "", err
	}
	for _, x := range list {
		if x.Spec.Name == c.Name {
			return x.ID, nil
		}
	}
	return "", fmt.Errorf("config %s (configs.%s, external): %w", c.Name, c.Key, ErrMissing)
}

// removeStale removes the stack's secrets and configs that no desired
// service uses any more (older contents, removed keys). One still in use
// (by a service a failed deploy left on it) stays, said as a warning.
func removeStale(ctx context.Context, api API, st *stack.Stack, o Observed, out progress.Progress) {
	var secrets, configs []string
	for _, s := range st.Secrets {
		secrets = append(secrets, s.Name)
	}
	for _, c := range st.Configs {
		configs = append(configs, c.Name)
	}
	for _, s := range stack.StaleObjects(secrets, o.secretObjects()) {
		if err := api.SecretRemove(ctx, s.ID); err != nil {
			out.Event(progress.Event{Kind: progress.KindWarning, Detail: fmt.Sprintf("secret %s not removed: %v", s.Name, err)})
			continue
		}
		out.Event(progress.Event{Kind: progress.KindSecret, Name: s.Name, Status: "Removed"})
	}
	for _, c := range stack.StaleObjects(configs, o.configObjects()) {
		if err := api.ConfigRemove(ctx, c.ID); err != nil {
			out.Event(progress.Event{Kind: progress.KindWarning, Detail: fmt.Sprintf("config %s not removed: %v", c.Name, err)})
			continue
		}
		out.Event(progress.Event{Kind: progress.KindConfig, Name: c.Name, Status: "Removed"})
	}
}
