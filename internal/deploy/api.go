// Package deploy applies a stack (see package stack, which converts a
// compose project into one) to a swarm, as `docker stack deploy` does:
// it observes the stack's services, networks, secrets and configs by the
// namespace label, creates what is missing, updates only the services
// whose hash label changed, waits until every service has converged and
// says why one cannot. It also lists, removes and follows the logs of a
// stack. Everything here calls the engine; what can be decided without it
// (the plan, constraint matching, judging tasks) is pure and table-tested.
package deploy

import (
	"context"
	"io"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
	"github.com/docker/docker/api/types/system"
	"github.com/docker/docker/client"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/stack"
)

// API is the Engine API calls a deploy makes; *client.Client satisfies it.
type API interface {
	Info(ctx context.Context) (system.Info, error)
	ServiceList(ctx context.Context, options swarm.ServiceListOptions) ([]swarm.Service, error)
	ServiceInspectWithRaw(ctx context.Context, serviceID string, options swarm.ServiceInspectOptions) (swarm.Service, []byte, error)
	ServiceCreate(ctx context.Context, service swarm.ServiceSpec, options swarm.ServiceCreateOptions) (swarm.ServiceCreateResponse, error)
	ServiceUpdate(ctx context.Context, serviceID string, version swarm.Version, service swarm.ServiceSpec, options swarm.ServiceUpdateOptions) (swarm.ServiceUpdateResponse, error)
	ServiceRemove(ctx context.Context, serviceID string) error
	ServiceLogs(ctx context.Context, serviceID string, options container.LogsOptions) (io.ReadCloser, error)
	TaskList(ctx context.Context, options swarm.TaskListOptions) ([]swarm.Task, error)
	NodeList(ctx context.Context, options swarm.NodeListOptions) ([]swarm.Node, error)
	NetworkList(ctx context.Context, options network.ListOptions) ([]network.Summary, error)
	NetworkInspect(ctx context.Context, networkID string, options network.InspectOptions) (network.Inspect, error)
	NetworkCreate(ctx context.Context, name string, options network.CreateOptions) (network.CreateResponse, error)
	NetworkRemove(ctx context.Context, networkID string) error
	SecretList(ctx context.Context, options swarm.SecretListOptions) ([]swarm.Secret, error)
	SecretCreate(ctx context.Context, secret swarm.SecretSpec) (swarm.SecretCreateResponse, error)
	SecretRemove(ctx context.Context, id string) error
	ConfigList(ctx context.Context, options swarm.ConfigListOptions) ([]swarm.Config, error)
	ConfigCreate(ctx context.Context, config swarm.ConfigSpec) (swarm.ConfigCreateResponse, error)
	ConfigRemove(ctx context.Context, id string) error
	ImageInspect(ctx context.Context, image string, _ ...client.ImageInspectOption) (image.InspectResponse, error)
	dockerapi.Distribution
}

var _ API = (*client.Client)(nil)

// stackFilter selects the objects labelled with namespace ns.
func stackFilter(ns string) filters.Args {
	return filters.NewArgs(filters.Arg("label", stack.LabelNamespace+"="+ns))
}

var networkInspectOpts = network.InspectOptions{}

// nameArgs selects the objects whose name contains name.
func nameArgs(name string) filters.Args {
	return filters.NewArgs(filters.Arg("name", name))
}
