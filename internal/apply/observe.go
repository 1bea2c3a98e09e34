package apply

import (
	"context"
	"slices"

	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"
	"golang.org/x/sync/errgroup"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/plan"

	"github.com/devstack/devstack/internal/dockerapi"
)

// Observe lists the project's containers, and the networks and volumes
// (by name, whoever created them) it refers to.
func Observe(ctx context.Context, api dockerapi.API, project string) (*plan.Observed, error) {
	var (
		cs   []plan.Container
		nets []network.Summary
		vols volume.ListResponse
	)
	eg, ectx := errgroup.WithContext(ctx) // three independent round trips
	eg.Go(func() (err error) { cs, err = containers.Observe(ectx, api, project); return err })
	eg.Go(func() (err error) { nets, err = api.NetworkList(ectx, network.ListOptions{}); return err })
	eg.Go(func() (err error) { vols, err = api.VolumeList(ectx, volume.ListOptions{}); return err })
	if err := eg.Wait(); err != nil {
		return nil, err
	}
	o := &plan.Observed{Containers: cs, Networks: map[string]string{}, Volumes: map[string]bool{},
		NetworkLabels: map[string]map[string]string{}, VolumeLabels: map[string]map[string]string{}}
	seen := map[string]network.Summary{}
	for _, n := range nets {
		if prev, ok := seen[n.Name]; ok {
			if n.Labels[convert.LabelProject] == project && !slices.Contains(o.DuplicateNetworks, n.Name) {
				o.DuplicateNetworks = append(o.DuplicateNetworks, n.Name)
			}
			if !olderNetwork(n, prev) {
				continue // of several of one name, the oldest is the one that stays
			}
		}
		seen[n.Name] = n
		o.Networks[n.Name] = n.ID
		o.NetworkLabels[n.Name] = n.Labels
	}
	for _, v := range vols.Volumes {
		o.Volumes[v.Name] = true
		o.VolumeLabels[v.Name] = v.Labels
	}
	return o, nil
}
