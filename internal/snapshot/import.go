package snapshot

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/bundle"
	"github.com/devstack/devstack/internal/snapshot/manifest"
	"github.com/devstack/devstack/internal/termsafe"
)

// ErrExists is an import of a name the project's snapshots already have.
var ErrExists = errors.New("snapshot exists")

// Walker reads an archive once, member by member (bundle.Archive.Walk:
// the decompression and its guards).
type Walker interface {
	Walk(fn func(bundle.Member, io.Reader) error) error
}

// Import reads a snapshot export (Export's .tar.zst) and adds it to the
// project's snapshots, as name when given, else as the export's name. The
// export is untrusted: its manifest (first) is checked before anything
// reaches the engine, and each volume's archive on its way there (the
// member's name, size and sha256, and what it unpacks to:
// checkVolumeArchive). The files go to a staging directory of the store
// that becomes the snapshot only once everything matched; otherwise it is
// removed and the store is as it was.
func Import(ctx context.Context, api Engine, project string, src Walker, name string, h Helper) (manifest.Manifest, error) {
	var m manifest.Manifest
	var st *stager
	err := src.Walk(func(mem bundle.Member, content io.Reader) error {
		member, size, file := mem.Name, mem.Size, mem.Type == bundle.TypeFile
		if st == nil {
			var err error
			if m, err = readImportManifest(member, file, content, project, name); err != nil {
				return err
			}
			st, err = newStager(ctx, api, project, m.Name, h)
			return err
		}
		return st.addVolume(m, member, size, file, content)
	})
	if err == nil && st == nil {
		err = fmt.Errorf("%w: it is empty", ErrBadImport)
	}
	if err == nil {
		err = st.commit(ctx, m)
	}
	if err != nil && st != nil {
		st.discard(ctx)
	}
	if st != nil {
		st.job.remove(ctx)
	}
	return m, err
}

// readImportManifest reads and checks the export's first member.
func readImportManifest(member string, file bool, content io.Reader, project, name string) (manifest.Manifest, error) {
	var m manifest.Manifest
	if member != manifest.File || !file {
		return m, fmt.Errorf("%w: its first member is %q, not %s", ErrBadImport, termsafe.Name(member), manifest.File)
	}
	raw, err := io.ReadAll(io.LimitReader(content, maxManifest+1))
	if err != nil {
		return m, err
	}
	if len(raw) > maxManifest {
		return m, fmt.Errorf("%w: %s is over %d bytes", ErrBadImport, manifest.File, maxManifest)
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return m, fmt.Errorf("%w: %s: %v", ErrBadImport, manifest.File, err)
	}
	if name != "" {
		m.Name = name
	}
	m.Project = project
	return m, CheckImported(m)
}

// stager streams files into a staging directory of the store through the
// engine (CopyToContainer of a created helper container).
type stager struct {
	job   *job
	h     Helper
	stage string // the staging directory, in the helper
	pw    *io.PipeWriter
	tw    *tar.Writer
	done  chan error
	seen  []string
}

func newStager(ctx context.Context, api Engine, project, name string, h Helper) (*stager, error) {
	var b [4]byte
	_, _ = rand.Read(b[:])
	stage := dir(project, ".tmp-import-"+name+"-"+hex.EncodeToString(b[:]))
	j, err := h.prepareAs(ctx, api, project, "transfer", nil, false, "discard", stage)
	if err != nil {
		return nil, err
	}
	if _, err := api.ContainerStatPath(ctx, j.id, dir(project, name)); err == nil {
		j.remove(ctx)
		return nil, fmt.Errorf("%w: %s in project %s (devstack snapshot rm %s, or import it --name NEW)", ErrExists, name, project, name)
	} else if !errdefs.IsNotFound(err) {
		j.remove(ctx)
		return nil, err
	}
	pr, pw := io.Pipe()
	s := &stager{job: j, h: h, stage: stage, pw: pw, tw: tar.NewWriter(pw), done: make(chan error, 1)}
	go func() {
		err := api.CopyToContainer(ctx, j.id, storeDir, pr, container.CopyToContainerOptions{})
		pr.CloseWithError(errors.Join(err, errors.New("the engine ended the copy")))
		s.done <- err
	}()
	now := time.Now()
	for _, d := range []string{project + "/", path.Base(stage) + "/"} {
		if d != project+"/" {
			d = project + "/" + d
		}
		if err := s.tw.WriteHeader(&tar.Header{Name: d, Typeflag: tar.TypeDir, Mode: 0o755, ModTime: now}); err != nil {
			return s, s.failed(err)
		}
	}
	return s, nil
}

// addVolume copies one volume's archive member into the stage, checking
// it on the way.
func (s *stager) addVolume(m manifest.Manifest, member string, size int64, file bool, content io.Reader) error {
	i := slices.IndexFunc(m.Volumes, func(v manifest.Volume) bool { return v.Key+manifest.Suffix == member })
	switch {
	case i < 0 || !file:
		return fmt.Errorf("%w: member %q is not a volume archive its manifest lists", ErrBadImport, termsafe.Name(member))
	case slices.Contains(s.seen, member):
		return fmt.Errorf("%w: member %s twice", ErrBadImport, member)
	case size != m.Volumes[i].Size:
		return fmt.Errorf("%w: %s is %d bytes, its manifest says %d", ErrBadImport, member, size, m.Volumes[i].Size)
	}
	v := m.Volumes[i]
	s.seen = append(s.seen, member)
	ir, iw := io.Pipe()
	checked := make(chan error, 1)
	go func() {
		err := checkVolumeArchive(ir, v)
		ir.CloseWithError(err)
		checked <- err
	}()
	sum := sha256.New()
	h := &tar.Header{Name: path.Join(m.Project, path.Base(s.stage), member), Typeflag: tar.TypeReg, Mode: 0o644, Size: size, ModTime: m.Created}
	err := s.tw.WriteHeader(h)
	if err == nil {
		_, err = io.Copy(s.tw, io.TeeReader(content, io.MultiWriter(sum, iw)))
	}
	iw.CloseWithError(err)
	if cerr := <-checked; cerr != nil {
		return fmt.Errorf("%w: %s: %v", ErrBadImport, member, cerr)
	}
	if err != nil {
		return s.failed(err)
	}
	if hex.EncodeToString(sum.Sum(nil)) != v.SHA256 {
		return fmt.Errorf("%w: %s is damaged (checksum mismatch)", ErrBadImport, member)
	}
	return nil
}

// commit writes the manifest last, ends the copy and renames the stage
// into place (the helper's adopt, which checks the files once more).
func (s *stager) commit(ctx context.Context, m manifest.Manifest) error {
	for _, v := range m.Volumes {
		if !slices.Contains(s.seen, v.Key+manifest.Suffix) {
			return fmt.Errorf("%w: %s%s, which its manifest lists, is missing", ErrBadImport, v.Key, manifest.Suffix)
		}
	}
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	h := &tar.Header{Name: path.Join(m.Project, path.Base(s.stage), manifest.File), Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(raw)), ModTime: m.Created}
	if err := s.tw.WriteHeader(h); err != nil {
		return s.failed(err)
	}
	if _, err := io.Copy(s.tw, bytes.NewReader(raw)); err != nil {
		return s.failed(err)
	}
	err = s.tw.Close()
	s.pw.CloseWithError(err)
	cerr := <-s.done
	s.done = nil // received: discard must not wait for it again
	if cerr != nil || err != nil {
		return fmt.Errorf("copying the snapshot to the engine: %w", errors.Join(cerr, err))
	}
	j, err := s.h.prepare(ctx, s.job.api, m.Project, nil, false, "adopt", s.stage, dir(m.Project, m.Name))
	if err != nil {
		return err
	}
	defer j.remove(ctx)
	_, err = j.run(ctx)
	if err != nil && strings.Contains(err.Error(), "exists") {
		return fmt.Errorf("%w: %v", ErrExists, err)
	}
	return err
}

// failed breaks the copy (the engine sees a failed upload) and prefers
// the engine's own error.
func (s *stager) failed(err error) error {
	s.pw.CloseWithError(err)
	if s.done != nil {
		if cerr := <-s.done; cerr != nil {
			err = fmt.Errorf("copying the snapshot to the engine: %w", cerr)
		}
		s.done = nil
	}
	return err
}

// discard ends the copy and removes the stage (the transfer container runs
// the helper's discard), also after ctx ended.
func (s *stager) discard(ctx context.Context) {
	s.pw.CloseWithError(errors.New("import failed"))
	if s.done != nil {
		<-s.done
		s.done = nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	_, _ = s.job.run(ctx)
}
