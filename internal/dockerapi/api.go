// Package dockerapi is devstack's side of the Docker Engine API: the narrow
// API interface (grouped by what the calls act on) that the rest of devstack
// is written against, the connection to an engine (endpoints, docker
// contexts, TLS, Connect), what is known of the engine (its identity, Podman's
// differences) and whether it answers.
package dockerapi

import (
	"context"
	"io"
	"net"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/registry"
	"github.com/docker/docker/api/types/volume"
	"github.com/docker/docker/client"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// API is the set of Engine API calls devstack makes: a subset of the
// Docker client's APIClient, grouped by what they act on, so that a unit
// test of a flow fakes the few calls it uses. Functions take the group
// they call (containers.Observe, apply.WaitFor and the log follower a
// ContainerAPI, the monitor an EventSource, stopping a Stopper), or API
// when they need several. *client.Client satisfies it, FakeClient fakes it
// for unit tests; e2e scripts run against the real engine.
type API interface {
	ContainerAPI
	ExecAPI
	ImageAPI
	NetworkAPI
	VolumeAPI
	EventSource
	SystemAPI
}

// ContainerAPI is what devstack does with containers.
type ContainerAPI interface {
	ContainerList(ctx context.Context, options container.ListOptions) ([]container.Summary, error)
	ContainerInspect(ctx context.Context, container string) (container.InspectResponse, error)
	ContainerCreate(ctx context.Context, config *container.Config, hostConfig *container.HostConfig, networkingConfig *network.NetworkingConfig, platform *ocispec.Platform, containerName string) (container.CreateResponse, error)
	ContainerStart(ctx context.Context, container string, options container.StartOptions) error
	ContainerStop(ctx context.Context, container string, options container.StopOptions) error
	ContainerRestart(ctx context.Context, container string, options container.StopOptions) error
	ContainerKill(ctx context.Context, container, signal string) error
	ContainerPause(ctx context.Context, container string) error
	ContainerUnpause(ctx context.Context, container string) error
	ContainerTop(ctx context.Context, container string, arguments []string) (container.TopResponse, error)
	ContainerRemove(ctx context.Context, container string, options container.RemoveOptions) error
	ContainerRename(ctx context.Context, container, newContainerName string) error
	ContainerLogs(ctx context.Context, container string, options container.LogsOptions) (io.ReadCloser, error)
	ContainerStats(ctx context.Context, container string, stream bool) (container.StatsResponseReader, error)
	ContainerStatPath(ctx context.Context, container, path string) (container.PathStat, error)
	CopyToContainer(ctx context.Context, container, path string, content io.Reader, options container.CopyToContainerOptions) error
	CopyFromContainer(ctx context.Context, container, srcPath string) (io.ReadCloser, container.PathStat, error)
	ContainerAttach(ctx context.Context, container string, options container.AttachOptions) (types.HijackedResponse, error)
	ContainerWait(ctx context.Context, container string, condition container.WaitCondition) (<-chan container.WaitResponse, <-chan error)
	ContainerResize(ctx context.Context, container string, options container.ResizeOptions) error
}

// ExecAPI runs processes in containers (exec, healthcheck-free hooks, watch's receiver).
type ExecAPI interface {
	ContainerExecCreate(ctx context.Context, container string, options container.ExecOptions) (container.ExecCreateResponse, error)
	ContainerExecAttach(ctx context.Context, execID string, options container.ExecAttachOptions) (types.HijackedResponse, error)
	ContainerExecInspect(ctx context.Context, execID string) (container.ExecInspect, error)
	ContainerExecResize(ctx context.Context, execID string, options container.ResizeOptions) error
}

// ImageAPI inspects, pulls, builds, saves and loads images.
type ImageAPI interface {
	Distribution
	ImageInspect(ctx context.Context, image string, _ ...client.ImageInspectOption) (image.InspectResponse, error)
	ImagePull(ctx context.Context, ref string, options image.PullOptions) (io.ReadCloser, error)
	ImagePush(ctx context.Context, ref string, options image.PushOptions) (io.ReadCloser, error)
	ImageRemove(ctx context.Context, image string, options image.RemoveOptions) ([]image.DeleteResponse, error)
	ImageBuild(ctx context.Context, context io.Reader, options build.ImageBuildOptions) (build.ImageBuildResponse, error)
	// BuildCancel and DialHijack (to /session) serve BuildKit builds.
	BuildCancel(ctx context.Context, id string) error
	DialHijack(ctx context.Context, url, proto string, meta map[string][]string) (net.Conn, error)
	ImageSave(ctx context.Context, images []string, _ ...client.ImageSaveOption) (io.ReadCloser, error)
	ImageLoad(ctx context.Context, input io.Reader, _ ...client.ImageLoadOption) (image.LoadResponse, error)
}

// Distribution asks the engine what a registry has under a reference (its
// manifest's digest and platforms), without pulling: deploy pins a
// service's image by digest with it, as docker stack deploy's
// --resolve-image.
type Distribution interface {
	DistributionInspect(ctx context.Context, image, encodedRegistryAuth string) (registry.DistributionInspect, error)
}

// NetworkAPI lists, creates, connects and removes networks.
type NetworkAPI interface {
	NetworkList(ctx context.Context, options network.ListOptions) ([]network.Summary, error)
	NetworkCreate(ctx context.Context, name string, options network.CreateOptions) (network.CreateResponse, error)
	NetworkConnect(ctx context.Context, network, container string, config *network.EndpointSettings) error
	NetworkDisconnect(ctx context.Context, network, container string, force bool) error
	NetworkRemove(ctx context.Context, network string) error
}

// VolumeAPI lists, creates and removes volumes.
type VolumeAPI interface {
	VolumeList(ctx context.Context, options volume.ListOptions) (volume.ListResponse, error)
	VolumeCreate(ctx context.Context, options volume.CreateOptions) (volume.Volume, error)
	VolumeRemove(ctx context.Context, volumeID string, force bool) error
}

// EventSource is the engine call the monitor needs.
type EventSource interface {
	Events(ctx context.Context, options events.ListOptions) (<-chan events.Message, <-chan error)
}

// ImageBuilder is what building images takes: the image calls, and the
// engine's version, by which a build goes through BuildKit or the classic
// builder.
type ImageBuilder interface {
	ImageAPI
	SystemAPI
}

// SystemAPI is the connection itself.
type SystemAPI interface {
	Ping(ctx context.Context) (types.Ping, error)
	ServerVersion(ctx context.Context) (types.Version, error)
	ClientVersion() string
	DaemonHost() string
	Close() error
}

var _ API = (*client.Client)(nil)

// APIVersion is the API version the client negotiated with the engine, or
// "" when the client does not say.
func APIVersion(api any) string {
	if v, ok := api.(interface{ ClientVersion() string }); ok {
		return v.ClientVersion()
	}
	return ""
}

// Parallelism bounds concurrent engine calls; the engine serialises some
// work anyway and a 2-core machine gains nothing past this.
const Parallelism = 16
