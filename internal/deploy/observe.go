package deploy

import (
	"context"

	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
	"golang.org/x/sync/errgroup"

	"github.com/devstack/devstack/internal/stack"
)

// Observed is what the swarm has of a stack, found by its namespace label.
type Observed struct {
	Services []swarm.Service
	Networks []network.Summary
	Secrets  []swarm.Secret
	Configs  []swarm.Config
}

// Observe lists the stack's services, networks, secrets and configs at once.
func Observe(ctx context.Context, api API, ns string) (Observed, error) {
	var o Observed
	f := stackFilter(ns)
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		o.Services, err = api.ServiceList(ctx, swarm.ServiceListOptions{Filters: f, Status: true})
		return err
	})
	g.Go(func() (err error) {
		o.Networks, err = api.NetworkList(ctx, network.ListOptions{Filters: f})
		return err
	})
	g.Go(func() (err error) {
		o.Secrets, err = api.SecretList(ctx, swarm.SecretListOptions{Filters: f})
		return err
	})
	g.Go(func() (err error) {
		o.Configs, err = api.ConfigList(ctx, swarm.ConfigListOptions{Filters: f})
		return err
	})
	return o, g.Wait()
}

// Empty reports whether the swarm has nothing of the stack.
func (o Observed) Empty() bool {
	return len(o.Services)+len(o.Networks)+len(o.Secrets)+len(o.Configs) == 0
}

// serviceStates is the stack's services as stack.Diff takes them.
func (o Observed) serviceStates() []stack.ObservedService {
	out := make([]stack.ObservedService, 0, len(o.Services))
	for _, s := range o.Services {
		os := stack.ObservedService{ID: s.ID, Name: s.Spec.Name, Version: s.Version, Labels: s.Spec.Labels}
		if r := s.Spec.Mode.Replicated; r != nil {
			n := uint64(1)
			if r.Replicas != nil {
				n = *r.Replicas
			}
			os.Replicas = &n
		}
		out = append(out, os)
	}
	return out
}

// ensureManager refuses an engine that cannot manage a swarm.
func ensureManager(ctx context.Context, api API) error {
	info, err := api.Info(ctx)
	if err != nil {
		return err
	}
	if !info.Swarm.ControlAvailable {
		return ErrNotManager
	}
	return nil
}
