package engine

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/plan"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"
	"golang.org/x/sync/errgroup"

	"github.com/devstack/devstack/internal/dockerapi"
)

func projectFilter(project string) filters.Args {
	return filters.NewArgs(filters.Arg("label", convert.LabelProject+"="+project))
}

// ObserveContainers lists the project's service containers (not one-off), sorted by service and number.
func ObserveContainers(ctx context.Context, api dockerapi.ContainerAPI, project string) ([]plan.Container, error) {
	return ListContainers(ctx, api, project, false)
}

// ListContainers lists the project's containers, with the one-off ones
// (of run) when oneoff says so, sorted by service, one-off last, and number.
func ListContainers(ctx context.Context, api dockerapi.ContainerAPI, project string, oneoff bool) ([]plan.Container, error) {
	list, err := api.ContainerList(ctx, container.ListOptions{All: true, Filters: projectFilter(project)})
	if err != nil {
		return nil, err
	}
	out := make([]plan.Container, 0, len(list))
	for _, c := range list {
		isOneoff := strings.EqualFold(c.Labels[convert.LabelOneoff], "true")
		if isOneoff && !oneoff {
			continue
		}
		n, _ := strconv.Atoi(c.Labels[convert.LabelNumber])
		name := ""
		if len(c.Names) > 0 {
			name = strings.TrimPrefix(c.Names[0], "/")
		}
		out = append(out, plan.Container{
			ID: c.ID, Name: name, Service: c.Labels[convert.LabelService], Number: n,
			State: c.State, Status: c.Status, Hash: c.Labels[convert.LabelConfigHash],
			ImageID: c.ImageID, Labels: c.Labels, Summary: c, Oneoff: isOneoff,
		})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Service != out[j].Service {
			return out[i].Service < out[j].Service
		}
		if out[i].Oneoff != out[j].Oneoff {
			return out[j].Oneoff
		}
		if out[i].Number != out[j].Number {
			return out[i].Number < out[j].Number
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// Observe lists the project's containers, and the networks and volumes
// (by name, whoever created them) it refers to.
func Observe(ctx context.Context, api dockerapi.API, project string) (*plan.Observed, error) {
	var (
		cs   []plan.Container
		nets []network.Summary
		vols volume.ListResponse
	)
	eg, ectx := errgroup.WithContext(ctx) // three independent round trips
	eg.Go(func() (err error) { cs, err = ObserveContainers(ectx, api, project); return err })
	eg.Go(func() (err error) { nets, err = api.NetworkList(ectx, network.ListOptions{}); return err })
	eg.Go(func() (err error) { vols, err = api.VolumeList(ectx, volume.ListOptions{}); return err })
	if err := eg.Wait(); err != nil {
		return nil, err
	}
	o := &plan.Observed{Containers: cs, Networks: map[string]string{}, Volumes: map[string]bool{},
		NetworkLabels: map[string]map[string]string{}, VolumeLabels: map[string]map[string]string{}}
	seen := map[string]bool{}
	for _, n := range nets {
		if seen[n.Name] && n.Labels[convert.LabelProject] == project && !slices.Contains(o.DuplicateNetworks, n.Name) {
			o.DuplicateNetworks = append(o.DuplicateNetworks, n.Name)
		}
		seen[n.Name] = true
		o.Networks[n.Name] = n.ID
		o.NetworkLabels[n.Name] = n.Labels
	}
	for _, v := range vols.Volumes {
		o.Volumes[v.Name] = true
		o.VolumeLabels[v.Name] = v.Labels
	}
	return o, nil
}
