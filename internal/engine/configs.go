package engine

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/dockerapi"
)

// File is a config or secret put into a container before it starts.
type File struct {
	Target   string
	Content  []byte
	Mode     int64
	UID, GID int
	HostPath string // file: source, bind-mounted rather than copied
}

// ServiceFiles resolves the service's configs and secrets given by
// content: or environment: to the files to copy in. File-based ones are
// bind-mounted instead (convertMounts), as compose does: their host file
// must exist, and its path is part of the config hash.
func ServiceFiles(p *types.Project, s types.ServiceConfig) ([]File, error) {
	var out []File
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

func resolveFile(p *types.Project, s types.ServiceConfig, kind string, ref types.FileReferenceConfig, obj types.FileObjectConfig, dir string) (File, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: service %s: %ss.%s: %s", ErrInvalidConfig, s.Name, kind, ref.Source, fmt.Sprintf(format, a...))
	}
	f := File{Target: fileTarget(ref, dir), Mode: 0o444}
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

// FileWarnings names the uid, gid and mode set on references to file-based
// secrets and configs: they are bind-mounted as they are, so these are
// ignored, as docker compose ignores them outside swarm. Pure.
func FileWarnings(p *types.Project) []string {
	var out []string
	for _, name := range sortedServices(p) {
		s := p.Services[name]
		for _, ref := range s.Secrets {
			out = append(out, ignoredOwnership(name, "secrets", types.FileReferenceConfig(ref), types.FileObjectConfig(p.Secrets[ref.Source]))...)
		}
		for _, ref := range s.Configs {
			out = append(out, ignoredOwnership(name, "configs", types.FileReferenceConfig(ref), types.FileObjectConfig(p.Configs[ref.Source]))...)
		}
	}
	return out
}

func ignoredOwnership(service, kind string, ref types.FileReferenceConfig, obj types.FileObjectConfig) []string {
	if !isFileObject(obj) {
		return nil
	}
	var out []string
	for _, o := range []struct {
		field string
		set   bool
	}{{"uid", ref.UID != ""}, {"gid", ref.GID != ""}, {"mode", ref.Mode != nil}} {
		if o.set {
			out = append(out, fmt.Sprintf("service %s: %s.%s.%s is not supported outside swarm mode (the file is bind-mounted as it is); ignored", service, kind, ref.Source, o.field))
		}
	}
	return out
}

// filesDigest feeds into the config hash, so a changed config recreates the container.
func filesDigest(files []File) string {
	if len(files) == 0 {
		return ""
	}
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s %o %d %d %d %s\n", f.Target, f.Mode, f.UID, f.GID, len(f.Content), f.HostPath)
		h.Write(f.Content)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// copyFiles puts the content: and environment: files into a created
// container as one tar stream.
func copyFiles(ctx context.Context, api dockerapi.API, id string, files []File) error {
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
