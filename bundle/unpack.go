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

// Unpack reads a verified archive again: the image export (rebuilt as the
// tar stream the engine exported) goes to load, and once load has taken it
// all, the project's files are written into dir, with the directories of
// m.EmptyDirs. Files it created are removed again if it fails.
func Unpack(r io.Reader, m Manifest, dir string, load func(io.Reader) error) (err error) {
	u := &unpacker{dir: dir, load: load}
	defer func() {
		if err != nil {
			u.abort(err)
			u.undo()
		}
	}()
	if err := Walk(r, m, u.member); err != nil {
		return err
	}
	if err := u.finishImages(); err != nil {
		return err
	}
	for _, d := range m.EmptyDirs {
		if err := CheckName(ProjectPrefix + d); err != nil {
			return err
		}
		if err := u.mkdirAll(filepath.Join(dir, filepath.FromSlash(d))); err != nil {
			return err
		}
	}
	return nil
}

type unpacker struct {
	dir     string
	load    func(io.Reader) error
	pw      *io.PipeWriter
	tw      *tar.Writer
	loadErr chan error
	done    bool
	created []string // files and directories, in creation order
}

func (u *unpacker) member(m Member, content io.Reader) error {
	if rel, ok := strings.CutPrefix(m.Name, ImagesPrefix); ok {
		return u.image(m, rel, content)
	}
	if err := u.finishImages(); err != nil {
		return err
	}
	rel := strings.TrimPrefix(m.Name, ProjectPrefix)
	path := filepath.Join(u.dir, filepath.FromSlash(rel))
	if m.Type == TypeDir {
		return u.mkdirAll(path)
	}
	return u.writeFile(path, m, content)
}

// image feeds one member of the export to the engine's load, started at
// the first one.
func (u *unpacker) image(m Member, rel string, content io.Reader) error {
	if u.done {
		return fmt.Errorf("%w: image member %s after the project files", ErrCorrupt, m.Name)
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

// finishImages ends the export stream and waits for the load's result.
func (u *unpacker) finishImages() error {
	if u.done {
		return nil
	}
	u.done = true
	if u.tw == nil {
		return nil
	}
	err := u.tw.Close()
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
