package engine

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/devstack/devstack/internal/convert"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"
	"golang.org/x/sync/errgroup"

	"github.com/devstack/devstack/internal/dockerapi"
)

// podmanStopping is the state Podman lists a container in while it stops;
// Docker lists it as running until it has stopped.
const podmanStopping = "stopping"

// Container is what the planner needs to know of an existing container.
type Container struct {
	ID      string
	Name    string
	Service string
	Number  int
	State   string // created, running, exited, ...
	Status  string // engine's human status, e.g. "Up 3 minutes (healthy)"
	Hash    string
	ImageID string
	Labels  map[string]string
	Summary container.Summary
	Oneoff  bool // a one-off container of `run`
}

// Running says whether the container's process is up (Podman's "stopping"
// too: the process is still there, and Docker says running).
func (c Container) Running() bool {
	return c.State == "running" || c.State == "restarting" || c.State == podmanStopping
}

// Ref is c as a reference to its service resolves to it.
func (c Container) Ref() convert.Ref { return convert.Ref{ID: c.ID, Name: c.Name, Number: c.Number} }

// Refs is each service's containers as references resolve to them.
func Refs(byService map[string][]Container) map[string][]convert.Ref {
	out := make(map[string][]convert.Ref, len(byService))
	for name, cs := range byService {
		for _, c := range cs {
			out[name] = append(out[name], c.Ref())
		}
	}
	return out
}

// Observed is the project's current state on the engine.
type Observed struct {
	Containers []Container
	Networks   map[string]string // name -> ID
	Volumes    map[string]bool   // name -> exists
	// The labels of the existing networks and volumes (name -> labels):
	// whose they are (project, key) and their config hash.
	NetworkLabels, VolumeLabels map[string]map[string]string
	// DuplicateNetworks names the project's networks that exist more
	// than once (another client created a copy): apply removes the
	// copies, as when it races one itself (dedupeNetwork).
	DuplicateNetworks []string
}

func projectFilter(project string) filters.Args {
	return filters.NewArgs(filters.Arg("label", convert.LabelProject+"="+project))
}

// ObserveContainers lists the project's service containers (not one-off), sorted by service and number.
func ObserveContainers(ctx context.Context, api dockerapi.ContainerAPI, project string) ([]Container, error) {
	return ListContainers(ctx, api, project, false)
}

// ListContainers lists the project's containers, with the one-off ones
// (of run) when oneoff says so, sorted by service, one-off last, and number.
func ListContainers(ctx context.Context, api dockerapi.ContainerAPI, project string, oneoff bool) ([]Container, error) {
	list, err := api.ContainerList(ctx, container.ListOptions{All: true, Filters: projectFilter(project)})
	if err != nil {
		return nil, err
	}
	out := make([]Container, 0, len(list))
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
		out = append(out, Container{
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
func Observe(ctx context.Context, api dockerapi.API, project string) (*Observed, error) {
	var (
		cs   []Container
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
	o := &Observed{Containers: cs, Networks: map[string]string{}, Volumes: map[string]bool{},
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
