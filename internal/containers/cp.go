package containers

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/moby/go-archive"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/plan"

	"github.com/devstack/devstack/internal/dockerapi"
)

// CopyOptions mirror `devstack cp` flags.
type CopyOptions struct {
	Service    string
	Index      int  // replica number, 1-based
	Archive    bool // -a: keep uid/gid
	FollowLink bool // -L: copy what a symlink source points to
}

// copyContainer is the container number Index of the service, running or not.
func copyContainer(ctx context.Context, api dockerapi.ContainerAPI, project string, o CopyOptions) (plan.Container, error) {
	cs, err := Observe(ctx, api, project)
	if err != nil {
		return plan.Container{}, err
	}
	index := max(o.Index, 1)
	for _, c := range cs {
		if c.Service == o.Service && c.Number == index {
			return c, nil
		}
	}
	return plan.Container{}, fmt.Errorf("%w: service %s has no container number %d in project %s%s", convert.ErrNoContainer, o.Service, index, project, ServicesThere(cs))
}

// CopyFrom copies src in the service's container to dst on the host, or
// as a tar stream to stdout when dst is "-", as docker cp does.
func CopyFrom(ctx context.Context, api dockerapi.ContainerAPI, project string, o CopyOptions, src, dst string, stdout io.Writer) error {
	c, err := copyContainer(ctx, api, project, o)
	if err != nil {
		return err
	}
	rebase := ""
	if o.FollowLink {
		st, err := api.ContainerStatPath(ctx, c.ID, src)
		if err != nil {
			return statError(c, src, err)
		}
		if st.Mode&os.ModeSymlink != 0 {
			target := st.LinkTarget
			if !filepath.IsAbs(target) {
				target = filepath.Join(filepath.Dir(src), target)
			}
			rebase, src = filepath.Base(src), target
		}
	}
	content, st, err := api.CopyFromContainer(ctx, c.ID, src)
	if err != nil {
		return statError(c, src, err)
	}
	defer content.Close()
	if dst == "-" {
		_, err := io.Copy(stdout, content)
		return err
	}
	info := archive.CopyInfo{Path: src, Exists: true, IsDir: st.Mode.IsDir(), RebaseName: rebase}
	var r io.Reader = content
	if rebase != "" {
		r = archive.RebaseArchiveEntries(content, filepath.Base(src), rebase)
	}
	if err := archive.CopyTo(r, info, dst); err != nil {
		return fmt.Errorf("copy %s:%s to %s: %w", c.Name, src, dst, err)
	}
	return nil
}

// CopyTo copies src on the host (a tar stream from stdin when src is "-")
// to dst in the service's container, as docker cp does.
func CopyTo(ctx context.Context, api dockerapi.ContainerAPI, project string, o CopyOptions, src, dst string, stdin io.Reader) error {
	c, err := copyContainer(ctx, api, project, o)
	if err != nil {
		return err
	}
	dstInfo := archive.CopyInfo{Path: dst}
	st, err := api.ContainerStatPath(ctx, c.ID, dst)
	switch {
	case err == nil:
		dstInfo.Exists, dstInfo.IsDir = true, st.Mode.IsDir()
	case !errdefs.IsNotFound(err):
		return statError(c, dst, err)
	}
	var content io.Reader
	dir := dst
	if src == "-" {
		if !dstInfo.IsDir {
			return fmt.Errorf("%w: %s:%s must be an existing directory to copy a tar stream into", ErrNoPath, c.Name, dst)
		}
		content = stdin
	} else {
		srcInfo, err := archive.CopyInfoSourcePath(src, o.FollowLink)
		if err != nil {
			return fmt.Errorf("%w: %s", ErrNoPath, src)
		}
		tarred, err := archive.TarResource(srcInfo)
		if err != nil {
			return fmt.Errorf("copy %s: %w", src, err)
		}
		defer tarred.Close()
		d, prepared, err := archive.PrepareArchiveCopy(tarred, srcInfo, dstInfo)
		if err != nil {
			return fmt.Errorf("copy %s to %s:%s: %w", src, c.Name, dst, err)
		}
		defer prepared.Close()
		dir, content = d, prepared
	}
	if err := api.CopyToContainer(ctx, c.ID, dir, content, container.CopyToContainerOptions{CopyUIDGID: o.Archive}); err != nil {
		return fmt.Errorf("copy %s to %s:%s: %w", src, c.Name, dst, err)
	}
	return nil
}

func statError(c plan.Container, path string, err error) error {
	if errdefs.IsNotFound(err) {
		return fmt.Errorf("%w: %s in container %s", ErrNoPath, path, c.Name)
	}
	return fmt.Errorf("container %s: %s: %w", c.Name, path, err)
}
