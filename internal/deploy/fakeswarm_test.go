package deploy

import (
	"context"
	"fmt"
	"sync"

	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/registry"
	"github.com/docker/docker/api/types/swarm"
	"github.com/docker/docker/api/types/system"
	"github.com/docker/docker/client"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/stack"
)

// fakeSwarm is a swarm manager whose services never get a task running:
// enough of API for Deploy's creates and waits. Images and registry
// answers are dockerapi.FakeClient's; the calls it does not make panic
// (the nil API).
type fakeSwarm struct {
	API
	engine   *dockerapi.FakeClient
	mu       sync.Mutex
	services []swarm.Service
	networks []network.Summary
	removed  []string
}

func newFakeSwarm() *fakeSwarm { return &fakeSwarm{engine: dockerapi.NewFakeClient()} }

func (f *fakeSwarm) Info(context.Context) (system.Info, error) {
	var i system.Info
	i.Swarm.ControlAvailable = true
	return i, nil
}

func (f *fakeSwarm) ServiceList(context.Context, swarm.ServiceListOptions) ([]swarm.Service, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]swarm.Service(nil), f.services...), nil
}

func (f *fakeSwarm) ServiceCreate(_ context.Context, spec swarm.ServiceSpec, _ swarm.ServiceCreateOptions) (swarm.ServiceCreateResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := fmt.Sprintf("svc%d", len(f.services)+1)
	f.services = append(f.services, swarm.Service{ID: id, Spec: spec})
	return swarm.ServiceCreateResponse{ID: id}, nil
}

func (f *fakeSwarm) ServiceRemove(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.removed = append(f.removed, id)
	return nil
}

// TaskList: one task per service, pending without an error (waiting for
// a node's resources, say) and never placed.
func (f *fakeSwarm) TaskList(context.Context, swarm.TaskListOptions) ([]swarm.Task, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []swarm.Task
	for _, s := range f.services {
		out = append(out, swarm.Task{ID: "t-" + s.ID, ServiceID: s.ID, DesiredState: swarm.TaskStateRunning,
			Status: swarm.TaskStatus{State: swarm.TaskStatePending}})
	}
	return out, nil
}

func (f *fakeSwarm) NodeList(context.Context, swarm.NodeListOptions) ([]swarm.Node, error) {
	n := swarm.Node{ID: "n1"}
	n.Description.Hostname = "node1"
	n.Spec.Availability, n.Status.State = swarm.NodeAvailabilityActive, swarm.NodeStateReady
	return []swarm.Node{n}, nil
}

func (f *fakeSwarm) NetworkList(context.Context, network.ListOptions) ([]network.Summary, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]network.Summary(nil), f.networks...), nil
}

func (f *fakeSwarm) NetworkCreate(_ context.Context, name string, _ network.CreateOptions) (network.CreateResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := "net-" + name
	f.networks = append(f.networks, network.Summary{ID: id, Name: name})
	return network.CreateResponse{ID: id}, nil
}

func (f *fakeSwarm) NetworkRemove(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.removed = append(f.removed, id)
	return nil
}

func (f *fakeSwarm) SecretList(context.Context, swarm.SecretListOptions) ([]swarm.Secret, error) {
	return nil, nil
}

func (f *fakeSwarm) ConfigList(context.Context, swarm.ConfigListOptions) ([]swarm.Config, error) {
	return nil, nil
}

func (f *fakeSwarm) ImageInspect(ctx context.Context, ref string, o ...client.ImageInspectOption) (image.InspectResponse, error) {
	return f.engine.ImageInspect(ctx, ref, o...)
}

func (f *fakeSwarm) DistributionInspect(ctx context.Context, ref, auth string) (registry.DistributionInspect, error) {
	return f.engine.DistributionInspect(ctx, ref, auth)
}

// oneService is a stack "shop" of one service web (image) on shop_default.
func oneService(image string) *stack.Stack {
	var spec swarm.ServiceSpec
	spec.Name = "shop_web"
	spec.Labels = map[string]string{stack.LabelImage: image}
	spec.TaskTemplate.ContainerSpec = &swarm.ContainerSpec{Image: image}
	spec.Mode.Replicated = &swarm.ReplicatedService{}
	spec.Labels[stack.LabelHash] = stack.Hash(spec)
	return &stack.Stack{Namespace: "shop",
		Services: []stack.Service{{Name: "web", Spec: spec, Hash: spec.Labels[stack.LabelHash]}},
		Networks: []stack.Network{{Name: "shop_default", Key: "default"}}}
}
