package bundle

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Conflicts refuses to unpack over existing files of other content in dir;
// files identical to the archive's are fine.
func Conflicts(m Manifest, dir string) error {
	for _, f := range m.ProjectFiles() {
		path := filepath.Join(dir, filepath.FromSlash(f.Name))
		st, err := os.Lstat(path)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return err
		}
		if !st.Mode().IsRegular() || st.Size() != f.Size || fileSHA(path) != f.SHA256 {
			return fmt.Errorf("%w: %s; load into another --project-directory or move it away", ErrConflict, path)
		}
	}
	return nil
}

func fileSHA(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Verified is what Unpack waits for before anything takes effect: the
// outcome of Verify run over the same archive alongside it, and the
// directory the project's files go to.
type Verified func() (m Manifest, dir string, err error)

// Unpack reads the archive once while Verify reads it alongside: the image
// export (rebuilt as the tar stream the engine exported) streams to load
// as it is read, but its end is held back until verified reports the whole
// archive sound, so a damaged archive is a broken upload for the engine and
// nothing is loaded. Then the load completes, and the project's files are
// written into the directory verified named, checked against the manifest,
// with the directories of m.EmptyDirs. Files it created are removed again
// if it fails.
func Unpack(r io.Reader, verified Verified, load func(io.Reader) error) (err error) {
	u := &unpacker{verified: verified, load: load}
	defer func() {
		if err != nil {
			u.abort(err)
			u.undo()
		}
	}()
	err = walk(r, func(got Member, content io.Reader) error {
		if got.Name == ManifestName {
			return nil
		}
		return u.member(got, content)
	})
	if err != nil {
		return err
	}
	if err := u.finishImages(); err != nil {
		return err
	}
	for _, d := range u.m.EmptyDirs {
		if err := CheckName(ProjectPrefix + d); err != nil {
			return err
		}
		if err := u.mkdirAll(filepath.Join(u.dir, filepath.FromSlash(d))); err != nil {
			return err
		}
	}
	return nil
}

type unpacker struct {
	verified Verified
	m        Manifest
	dir      string
	byName   map[string]Member
	load     func(io.Reader) error
	pw       *io.PipeWriter
	tw       *tar.Writer
	loadErr  chan error
	done     bool
	created  []string // files and directories, in creation order
}

// member sends an image member to the load, or writes a project file once
// the archive is verified, checking it against its manifest entry.
func (u *unpacker) member(got Member, content io.Reader) error {
	if rel, ok := strings.CutPrefix(got.Name, ImagesPrefix); ok {
		return u.image(got, rel, content)
	}
	if err := u.finishImages(); err != nil {
		return err
	}
	want, ok := u.byName[got.Name]
	if !ok {
		return fmt.Errorf("%w: member %s is not in the manifest", ErrCorrupt, got.Name)
	}
	rel := strings.TrimPrefix(got.Name, ProjectPrefix)
	path := filepath.Join(u.dir, filepath.FromSlash(rel))
	if want.Type == TypeDir {
		if err := u.mkdirAll(path); err != nil {
			return err
		}
		return sameMember(want, got)
	}
	sum := sha256.New()
	if err := u.writeFile(path, want, io.TeeReader(content, sum)); err != nil {
		return err
	}
	got.SHA256 = hex.EncodeToString(sum.Sum(nil)) // in case the file changed since Verify read it
	return sameMember(want, got)
}

// image feeds one member of the export to the engine's load, started at
// the first one.
func (u *unpacker) image(m Member, rel string, content io.Reader) error {
	if u.done {
		return fmt.Errorf("%w: image member %s after the project files", ErrCorrupt, m.Name)
	}
	if err := CheckMember(m); err != nil {
		return err
	}
	if u.tw == nil {
		pr, pw := io.Pipe()
		u.pw, u.tw, u.loadErr = pw, tar.NewWriter(pw), make(chan error, 1)
		go func() {
			err := u.load(pr)
			pr.CloseWithError(errors.Join(err, errors.New("image load ended")))
			u.loadErr <- err
		}()
	}
	h := &tar.Header{Name: rel, Mode: m.Mode, Size: m.Size, Linkname: m.Link}
	switch m.Type {
	case TypeFile:
		h.Typeflag = tar.TypeReg
	case TypeDir:
		h.Typeflag, h.Name = tar.TypeDir, rel+"/"
	case TypeSymlink:
		h.Typeflag = tar.TypeSymlink
	}
	if err := u.tw.WriteHeader(h); err != nil {
		return u.failed(err)
	}
	if _, err := io.Copy(u.tw, content); err != nil {
		var se streamError
		if errors.As(err, &se) {
			return err
		}
		return u.failed(err)
	}
	return nil
}

// failed prefers the load's own error over the broken pipe it caused.
func (u *unpacker) failed(err error) error {
	u.done = true
	u.pw.CloseWithError(err)
	if lerr := <-u.loadErr; lerr != nil {
		return lerr
	}
	return err
}

// abort breaks the export stream, so the engine sees a failed upload
// rather than a short but well-formed tar, and waits for the load to end.
func (u *unpacker) abort(err error) {
	if u.done || u.tw == nil {
		return
	}
	u.done = true
	u.pw.CloseWithError(err)
	<-u.loadErr
}

// finishImages waits for the verdict on the whole archive, then ends the
// export stream and waits for the load's result.
func (u *unpacker) finishImages() error {
	if u.done {
		return nil
	}
	m, dir, err := u.verified()
	if err != nil {
		return err // the deferred abort breaks the export stream
	}
	u.m, u.dir, u.byName = m, dir, map[string]Member{}
	for _, mem := range m.Members {
		u.byName[mem.Name] = mem
	}
	u.done = true
	if u.tw == nil {
		return nil
	}
	err = u.tw.Close()
	u.pw.CloseWithError(err)
	if lerr := <-u.loadErr; lerr != nil {
		return lerr
	}
	return err
}

func (u *unpacker) writeFile(path string, m Member, content io.Reader) error {
	if err := u.mkdirAll(filepath.Dir(path)); err != nil {
		return err
	}
	_, statErr := os.Lstat(path)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, os.FileMode(m.Mode).Perm()|0o200)
	if err != nil {
		return err
	}
	if os.IsNotExist(statErr) {
		u.created = append(u.created, path)
	}
	_, err = io.Copy(f, content)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return os.Chmod(path, os.FileMode(m.Mode).Perm())
}

// mkdirAll creates path and its missing parents, remembering them.
func (u *unpacker) mkdirAll(path string) error {
	var missing []string
	for p := path; ; p = filepath.Dir(p) {
		if _, err := os.Lstat(p); err == nil || p == filepath.Dir(p) {
			break
		}
		missing = append(missing, p)
	}
	if err := os.MkdirAll(path, 0o755); err != nil {
		return err
	}
	slices.Reverse(missing)
	u.created = append(u.created, missing...)
	return nil
}

// undo removes what Unpack created, newest first.
func (u *unpacker) undo() {
	for i := len(u.created) - 1; i >= 0; i-- {
		os.Remove(u.created[i])
	}
}
