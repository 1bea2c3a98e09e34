package plan

import (
	"github.com/devstack/devstack/internal/convert"
	"github.com/docker/docker/api/types/container"
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
	Networks   map[string]string // name -> ID (of several of one name, the oldest)
	Volumes    map[string]bool   // name -> exists
	// The labels of the existing networks and volumes (name -> labels):
	// whose they are (project, key) and their config hash.
	NetworkLabels, VolumeLabels map[string]map[string]string
	// DuplicateNetworks names the project's networks that exist more
	// than once (another client created a copy): apply removes the
	// copies, as when it races one itself (dedupeNetwork), and where one
	// is in use its containers join the oldest by ID.
	DuplicateNetworks []string
}
