package bundle

import (
	"archive/tar"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/devstack/devstack/internal/termsafe"
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
			return fmt.Errorf("%w: %s; load into another --project-directory or move it away", ErrConflict, termsafe.Name(path))
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

// Decide is called once the whole archive has been read and found sound,
// before anything takes effect. It names the directory the project's
// files go to, or refuses: its error ends the load.
type Decide func(Manifest) (dir string, err error)

// Unpack reads the archive once. The image export (rebuilt as the tar
// stream the engine exported) streams to load as it is read, each member
// checksummed on the way; the project's members are kept aside (spool).
// The manifest comes last. Once it and every checksum match and decide has
// named the directory, the engine gets the export's end and the load
// completes; then the project's files are written, with the directories
// of m.EmptyDirs. A damaged archive is a broken upload for the engine:
// nothing is loaded and nothing written. Files Unpack created are removed
// again if it fails.
func Unpack(r io.Reader, decide Decide, load func(io.Reader) error) (m Manifest, dir string, err error) {
	return unpack(r, decide, load, nil)
}

// Kept hands the archive's snapshot members, checked and kept aside, to
// their import once the images are loaded and the files written (member
// gives one's content by its name); its error fails the load.
type Kept func(m Manifest, member func(name string) io.Reader) error

// unpack is Unpack, handing the snapshots to kept (nil: none expected).
func unpack(r io.Reader, decide Decide, load func(io.Reader) error, kept Kept) (m Manifest, dir string, err error) {
	u := &unpacker{load: load}
	defer u.spool.close()
	defer func() {
		if err != nil {
			u.abort(err)
			u.undo()
			if u.sent {
				err = afterExport{err}
			}
		}
	}()
	var c checker
	err = walk(r, func(got Member, content io.Reader) error {
		if mine, err := c.take(got, content); !mine || err != nil {
			return err
		}
		sum, err := u.member(got, io.TeeReader(content, c.metaSink(got)))
		c.add(got, sum)
		return err
	})
	if err != nil {
		return m, "", err
	}
	if m, err = c.result(); err != nil {
		return m, "", err
	}
	if dir, err = decide(m); err != nil {
		return m, "", err
	}
	if err := u.finishImages(); err != nil {
		return m, dir, err
	}
	if err := u.writeFiles(m, dir); err != nil || len(m.Snapshots) == 0 {
		return m, dir, err
	}
	if kept == nil {
		return m, dir, fmt.Errorf("the archive holds snapshots; this load takes none")
	}
	return m, dir, kept(m, u.kept)
}

// kept is the content of the kept member name (empty when there is none).
func (u *unpacker) kept(name string) io.Reader {
	for _, it := range u.spool.items {
		if it.m.Name == name {
			return u.spool.content(it)
		}
	}
	return strings.NewReader("")
}

type unpacker struct {
	load    func(io.Reader) error
	pw      *io.PipeWriter
	tw      *tar.Writer
	loadErr chan error
	done    bool // the export stream has ended, or was broken
	sent    bool // the engine has the whole export and loaded it, or was interrupted loading it
	files   bool // a project member has been read
	spool   spool
	created []string // files and directories, in creation order
}

// member sends an image member to the load, or keeps a project member
// until the archive is checked; it returns a file's SHA-256.
func (u *unpacker) member(got Member, content io.Reader) (string, error) {
	rel, ok := strings.CutPrefix(got.Name, ImagesPrefix)
	if !ok {
		u.files = true
		return u.spool.add(got, content)
	}
	if u.files {
		return "", fmt.Errorf("%w: image member %s after the project files", ErrCorrupt, termsafe.Name(got.Name))
	}
	return u.image(got, rel, content)
}

// image feeds one member of the export to the engine's load, started at
// the first one.
func (u *unpacker) image(m Member, rel string, content io.Reader) (string, error) {
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
		return "", u.failed(err)
	}
	sum, err := copySum(u.tw, m, content)
	if err != nil {
		var se streamError
		if errors.As(err, &se) {
			return "", err
		}
		return "", u.failed(err)
	}
	return sum, nil
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
	if u.done || u.tw == nil {
		return nil
	}
	u.done = true
	err := u.tw.Close()
	u.pw.CloseWithError(err)
	lerr := <-u.loadErr
	u.sent = err == nil && (lerr == nil || errors.Is(lerr, context.Canceled))
	return cmp.Or(lerr, err)
}

// afterExport is an error of Unpack once the engine had the whole export.
type afterExport struct{ error }

func (a afterExport) Unwrap() error      { return a.error }
func (afterExport) Is(target error) bool { return target == ErrImagesLoaded }

// writeFiles writes the kept project members into dir, and the empty
// directories the manifest lists.
func (u *unpacker) writeFiles(m Manifest, dir string) error {
	for _, it := range u.spool.items {
		if strings.HasPrefix(it.m.Name, SnapshotsPrefix) {
			continue // imported by kept
		}
		path := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(it.m.Name, ProjectPrefix)))
		var err error
		if it.m.Type == TypeDir {
			err = u.mkdirAll(path)
		} else {
			err = u.writeFile(path, it.m, u.spool.content(it))
		}
		if err != nil {
			return err
		}
	}
	for _, d := range m.EmptyDirs { // checked by DecodeManifest
		if err := u.mkdirAll(filepath.Join(dir, filepath.FromSlash(d))); err != nil {
			return err
		}
	}
	return nil
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
		return fmt.Errorf("writing %s: %w", termsafe.Name(path), err)
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
