package engine

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
)

// File is a config or secret put into a container before it starts.
type File struct {
	Target   string
	Content  []byte
	Mode     int64
	UID, GID int
}

// ServiceFiles resolves the service's configs and secrets (content:,
// file: or environment: sources) to the files to copy in.
func ServiceFiles(p *types.Project, s types.ServiceConfig) ([]File, error) {
	var out []File
	for _, ref := range s.Configs {
		f, err := resolveFile(p, s.Name, "config", types.FileReferenceConfig(ref), types.FileObjectConfig(p.Configs[ref.Source]), "/"+ref.Source)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	for _, ref := range s.Secrets {
		f, err := resolveFile(p, s.Name, "secret", types.FileReferenceConfig(ref), types.FileObjectConfig(p.Secrets[ref.Source]), "/run/secrets/"+ref.Source)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

func resolveFile(p *types.Project, service, kind string, ref types.FileReferenceConfig, obj types.FileObjectConfig, defaultTarget string) (File, error) {
	f := File{Target: ref.Target, Mode: 0o444}
	if f.Target == "" {
		f.Target = defaultTarget
	} else if !path.IsAbs(f.Target) {
		f.Target = defaultTarget[:strings.LastIndex(defaultTarget, "/")+1] + f.Target
	}
	if ref.Mode != nil {
		f.Mode = int64(*ref.Mode)
	}
	f.UID, _ = strconv.Atoi(ref.UID)
	f.GID, _ = strconv.Atoi(ref.GID)
	switch {
	case obj.Content != "":
		f.Content = []byte(obj.Content)
	case obj.Environment != "":
		f.Content = []byte(p.Environment[obj.Environment])
	case obj.File != "":
		b, err := os.ReadFile(obj.File)
		if err != nil {
			return f, fmt.Errorf("service %s: %s %s: %w", service, kind, ref.Source, err)
		}
		f.Content = b
	default:
		return f, fmt.Errorf("service %s: %s %q is not defined with content, file or environment (external ones need swarm)", service, kind, ref.Source)
	}
	return f, nil
}

// filesDigest feeds into the config hash, so a changed config recreates the container.
func filesDigest(files []File) string {
	if len(files) == 0 {
		return ""
	}
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s %o %d %d %d\n", f.Target, f.Mode, f.UID, f.GID, len(f.Content))
		h.Write(f.Content)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// copyFiles puts the files into a created container as one tar stream.
func copyFiles(ctx context.Context, api API, id string, files []File) error {
	if len(files) == 0 {
		return nil
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	now := time.Now()
	for _, f := range files {
		hdr := &tar.Header{Name: strings.TrimPrefix(f.Target, "/"), Mode: f.Mode, Size: int64(len(f.Content)), Uid: f.UID, Gid: f.GID, ModTime: now, Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(f.Content); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return api.CopyToContainer(ctx, id, "/", &buf, container.CopyToContainerOptions{})
}
