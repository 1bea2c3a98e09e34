package snapshot

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"

	"github.com/containerd/errdefs"
	"github.com/klauspost/compress/zstd"

	"github.com/devstack/devstack/internal/snapshot/manifest"
)

// maxManifest bounds a manifest read into memory.
const maxManifest = 1 << 20

// Export writes the project's snapshot name to w as one .tar.zst
// (portable.go), streamed from the store through the engine (a helper
// container that is only created: the engine copies the files out of its
// mounts), each volume's archive checked against the manifest's size and
// sha256 on the way: a damaged snapshot is refused, and w then has a
// truncated stream.
func Export(ctx context.Context, api Engine, project, name string, h Helper, w io.Writer) (manifest.Manifest, error) {
	var m manifest.Manifest
	if err := CheckName(name); err != nil {
		return m, err
	}
	j, err := h.prepareAs(ctx, api, project, "transfer", nil, true, "ls", dir(project, ""))
	if err != nil {
		return m, err
	}
	defer j.remove(ctx)
	raw, err := j.readFile(ctx, path.Join(dir(project, name), manifest.File), maxManifest, -1, nil)
	if errdefs.IsNotFound(err) {
		return m, fmt.Errorf("%w %s in project %s (devstack snapshot ls lists them)", ErrNoSnapshot, name, project)
	}
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return m, fmt.Errorf("snapshot %s: damaged manifest: %w", name, err)
	}
	zw, err := zstd.NewWriter(w, zstd.WithEncoderLevel(zstd.SpeedFastest))
	if err != nil {
		return m, err
	}
	tw := tar.NewWriter(zw)
	if err := addMember(tw, m, manifest.File, int64(len(raw)), bytes.NewReader(raw)); err != nil {
		zw.Close()
		return m, err
	}
	for _, v := range m.Volumes {
		if err := j.exportVolume(ctx, tw, m, v); err != nil {
			zw.Close()
			return m, fmt.Errorf("snapshot %s: %w", name, err)
		}
	}
	return m, errors.Join(tw.Close(), zw.Close())
}

// exportVolume copies the volume's archive into tw, checked.
func (j *job) exportVolume(ctx context.Context, tw *tar.Writer, m manifest.Manifest, v manifest.Volume) error {
	file := v.Key + manifest.Suffix
	if err := CheckName(v.Key); err != nil {
		return err
	}
	sum := sha256.New()
	_, err := j.readFile(ctx, path.Join(dir(m.Project, m.Name), file), 0, v.Size, func(size int64, r io.Reader) error {
		return addMember(tw, m, file, size, io.TeeReader(r, sum))
	})
	if errdefs.IsNotFound(err) {
		return fmt.Errorf("%s is missing", file)
	}
	if err != nil {
		return err
	}
	if hex.EncodeToString(sum.Sum(nil)) != v.SHA256 {
		return fmt.Errorf("%s is damaged (checksum mismatch): nothing exported", file)
	}
	return nil
}

func addMember(tw *tar.Writer, m manifest.Manifest, name string, size int64, r io.Reader) error {
	h := &tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: size, ModTime: m.Created, Format: tar.FormatPAX}
	if err := tw.WriteHeader(h); err != nil {
		return err
	}
	n, err := io.Copy(tw, r)
	if err == nil && n != size {
		err = fmt.Errorf("%s: %d of %d bytes", name, n, size)
	}
	return err
}

// readFile reads one file of the helper's mounts through the engine: into
// memory (at most limit bytes) when fn is nil, else streamed to fn, which
// must be of size bytes (-1: any).
func (j *job) readFile(ctx context.Context, file string, limit, size int64, fn func(int64, io.Reader) error) ([]byte, error) {
	rc, _, err := j.api.CopyFromContainer(ctx, j.id, file)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	h, err := tr.Next()
	if err != nil {
		return nil, fmt.Errorf("reading %s through the engine: %w", path.Base(file), err)
	}
	if h.Typeflag != tar.TypeReg || (size >= 0 && h.Size != size) {
		return nil, fmt.Errorf("%s is not a file of %d bytes (damaged snapshot)", path.Base(file), size)
	}
	if fn != nil {
		return nil, fn(h.Size, tr)
	}
	if h.Size > limit {
		return nil, fmt.Errorf("%s is over %d bytes", path.Base(file), limit)
	}
	return io.ReadAll(tr)
}
