package apply

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/devstack/devstack/internal/convert"
	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/dockerapi"
)

// ServiceFiles resolves the service's configs and secrets given by
// content: or environment: to the files to copy in. File-based ones are
// bind-mounted instead (convertMounts), as compose does: their host file
// must exist, and its path is part of the config hash.
func ServiceFiles(p *types.Project, s types.ServiceConfig) ([]convert.File, error) {
	var out []convert.File
	for _, ref := range s.Configs {
		f, err := resolveFile(p, s, "config", types.FileReferenceConfig(ref), types.FileObjectConfig(p.Configs[ref.Source]), "/")
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	for _, ref := range s.Secrets {
		f, err := resolveFile(p, s, "secret", types.FileReferenceConfig(ref), types.FileObjectConfig(p.Secrets[ref.Source]), "/run/secrets/")
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

func resolveFile(p *types.Project, s types.ServiceConfig, kind string, ref types.FileReferenceConfig, obj types.FileObjectConfig, dir string) (convert.File, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: service %s: %ss.%s: %s", convert.ErrInvalidConfig, s.Name, kind, ref.Source, fmt.Sprintf(format, a...))
	}
	f := convert.File{Target: convert.FileTarget(ref, dir), Mode: 0o444}
	if ref.Mode != nil {
		f.Mode = int64(*ref.Mode)
	}
	for _, id := range []struct {
		field, value string
		to           *int
	}{{"uid", ref.UID, &f.UID}, {"gid", ref.GID, &f.GID}} {
		if id.value == "" {
			continue
		}
		n, err := strconv.Atoi(id.value)
		if err != nil {
			return f, bad("%s %q is not a number", id.field, id.value)
		}
		*id.to = n
	}
	switch {
	case obj.Driver != "" || obj.TemplateDriver != "":
		return f, bad("driver and template_driver need swarm; docker compose refuses them too")
	case bool(obj.External):
		return f, bad("external %ss need swarm", kind)
	case obj.Content != "" || obj.Environment != "":
		if s.ReadOnly {
			return f, bad("a read_only service takes only file: %ss (content and environment ones are copied into the container)", kind)
		}
		f.Content = []byte(obj.Content)
		if obj.Environment != "" {
			v, ok := p.Environment[obj.Environment]
			if !ok {
				return f, bad("environment variable %s is not set", obj.Environment)
			}
			f.Content = []byte(v)
		}
	case obj.File != "":
		if _, err := os.Stat(obj.File); err != nil {
			return f, fmt.Errorf("%w: service %s: %ss.%s: file %s: %v", ErrMountSource, s.Name, kind, ref.Source, obj.File, err)
		}
		f.HostPath = obj.File
	default:
		return f, bad("not defined with content, file or environment")
	}
	return f, nil
}

// copyFiles puts the content: and environment: files into a created
// container as one tar stream.
func copyFiles(ctx context.Context, api dockerapi.ContainerAPI, id string, files []convert.File) error {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	now := time.Now()
	copied, owned := 0, false
	for _, f := range files {
		if f.HostPath != "" {
			continue // bind-mounted
		}
		copied++
		owned = owned || f.UID != 0 || f.GID != 0
		hdr := &tar.Header{Name: strings.TrimPrefix(f.Target, "/"), Mode: f.Mode, Size: int64(len(f.Content)), Uid: f.UID, Gid: f.GID, ModTime: now, Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(f.Content); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil || copied == 0 {
		return err
	}
	// As compose: the tar's owner applies only when uid or gid is set.
	return api.CopyToContainer(ctx, id, "/", &buf, container.CopyToContainerOptions{CopyUIDGID: owned})
}
