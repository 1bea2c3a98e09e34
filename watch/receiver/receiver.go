// Package receiver is the in-container side of devstack watch and the
// host's client of it. When devstack cannot write into a container's root
// itself, it copies its own (static) binary into the container
// (/.devstack/receive-HASH: Find, Start) and keeps one exec of `devstack
// receive` (Serve) running there, which takes batches of file changes as
// tar streams over the exec's stdin, framed as frame.go describes, and
// answers each one (Conn.Send). Writer is how both that receiver and the
// watch's direct path write files under an os.Root.
package receiver

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
