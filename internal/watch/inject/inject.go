// Package inject puts devstack's file receiver (package receiver) into a
// container and talks to it: Find picks the receiver for the engine's
// platform (a small static Linux program embedded in devstack, else the
// running devstack itself when it is a static Linux binary of the engine's
// architecture), Start copies it to /.devstack/receive-HASH unless it is
// there and runs it as one exec, and Conn sends it batches.
package inject

import (
	"context"
	"io"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/container"
)

// Engine is what installing and running the receiver asks of the Docker
// engine.
type Engine interface {
	ServerVersion(ctx context.Context) (types.Version, error)
	ContainerStatPath(ctx context.Context, id, path string) (container.PathStat, error)
	CopyToContainer(ctx context.Context, id, dst string, content io.Reader, opts container.CopyToContainerOptions) error
	ContainerExecCreate(ctx context.Context, id string, opts container.ExecOptions) (container.ExecCreateResponse, error)
	ContainerExecAttach(ctx context.Context, execID string, opts container.ExecAttachOptions) (types.HijackedResponse, error)
}
