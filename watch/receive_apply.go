package watch

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"time"
)

// item is one directory, file or symlink to write under an os.Root, as tar
// extracts a header. The direct path (the container's root seen through
// /proc/PID/root) and the receiver in the container (`devstack receive`,
// reading tar headers) both apply items with a rootWriter, so the two
// write files the same way.
type item struct {
	rel      string      // slash path below the root, without a leading "/"
	mode     fs.FileMode // type (directory, symlink or regular file) and permissions
	uid, gid int
	mtime    time.Time // zero or the epoch: left alone (parent directories)
	link     string    // a symlink's target
	body     io.Reader // a regular file's contents
}

// relPath turns a container path into a path below the root; "" for the
// root itself.
func relPath(p string) string {
	return strings.TrimPrefix(path.Clean("/"+p), "/")
}

// removeAll deletes the container paths, with everything below them.
func removeAll(r *os.Root, paths []string) error {
	for _, p := range paths {
		if rel := relPath(p); rel != "" {
			if err := r.RemoveAll(rel); err != nil {
				return err
			}
		}
	}
	return nil
}

// rootWriter applies a batch's items under a root. It keeps each
// directory it writes files into open (as an os.Root of its own), so a file
// costs a few system calls on one path component instead of a walk of the
// whole path for every step.
type rootWriter struct {
	r    *os.Root
	dirs map[string]*os.Root // "a/b" -> that directory, opened below r
}

func newRootWriter(r *os.Root) *rootWriter {
	return &rootWriter{r: r, dirs: map[string]*os.Root{}}
}

func (w *rootWriter) close() {
	for rel, d := range w.dirs {
		d.Close()
		delete(w.dirs, rel)
	}
}

// dir opens (creating it when missing) the directory rel; "." is the root.
func (w *rootWriter) dir(rel string) (*os.Root, error) {
	if rel == "." {
		return w.r, nil
	}
	if d := w.dirs[rel]; d != nil {
		return d, nil
	}
	if err := w.r.MkdirAll(rel, 0o755); err != nil {
		return nil, err
	}
	d, err := w.r.OpenRoot(rel)
	if err != nil {
		return nil, err
	}
	w.dirs[rel] = d
	return d, nil
}

// apply writes one item. A file or symlink is written to a temporary name
// and renamed into place, so a server never serves half a file; a
// directory in its place is replaced, as tar would. A directory that
// exists keeps its owner and mode.
func (w *rootWriter) apply(it item) error {
	if it.rel == "" {
		return nil // the root itself is not ours to change
	}
	if it.mode.IsDir() {
		return makeDir(w.r, it)
	}
	parent, err := w.dir(path.Dir(it.rel))
	if err != nil {
		return err
	}
	base := path.Base(it.rel)
	tmp := tmpPrefix + base
	err = writeTemp(parent, tmp, it)
	if errors.Is(err, fs.ErrExist) {
		_ = parent.Remove(tmp) // left over from an interrupted copy
		err = writeTemp(parent, tmp, it)
	}
	if err == nil {
		var replacedDir bool
		replacedDir, err = replace(parent, tmp, base)
		if replacedDir {
			w.close() // directories opened below it are gone
		}
	}
	if err != nil {
		_ = parent.Remove(tmp)
	}
	return err
}

// writeTemp creates the symlink or file tmp (in dir) with the item's
// owner, mode and time.
func writeTemp(dir *os.Root, tmp string, it item) error {
	switch {
	case it.mode&fs.ModeSymlink != 0:
		if err := dir.Symlink(it.link, tmp); err != nil {
			return err
		}
		return dir.Lchown(tmp, it.uid, it.gid)
	case !it.mode.IsRegular():
		return fmt.Errorf("%s: cannot copy a file of type %v", it.rel, it.mode.Type())
	}
	dst, err := dir.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if it.body != nil {
		_, err = io.Copy(dst, it.body)
	}
	if err == nil {
		err = dst.Chown(it.uid, it.gid) // before chmod, which it would clear setuid bits of
	}
	if err == nil {
		err = dst.Chmod(it.mode.Perm())
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err == nil && hasTime(it.mtime) {
		err = dir.Chtimes(tmp, it.mtime, it.mtime)
	}
	if err != nil && !errors.Is(err, fs.ErrExist) {
		_ = dir.Remove(tmp)
	}
	return err
}

// replace renames tmp to rel; a directory at rel is removed first
// (replacedDir).
func replace(r *os.Root, tmp, rel string) (replacedDir bool, err error) {
	err = r.Rename(tmp, rel)
	if err == nil {
		return false, nil
	}
	if fi, lerr := r.Lstat(rel); lerr == nil && fi.IsDir() {
		if err = r.RemoveAll(rel); err == nil {
			err = r.Rename(tmp, rel)
		}
		return true, err
	}
	return false, err
}

// makeDir creates a directory owned by the item's user with its mode; a
// file or symlink in its place is replaced. Only its time changes when it
// exists.
func makeDir(r *os.Root, it item) error {
	perm := it.mode.Perm()
	err := r.Mkdir(it.rel, perm)
	if errors.Is(err, fs.ErrNotExist) {
		if err = r.MkdirAll(path.Dir(it.rel), 0o755); err == nil {
			err = r.Mkdir(it.rel, perm)
		}
	}
	created := err == nil
	if errors.Is(err, fs.ErrExist) {
		fi, lerr := r.Lstat(it.rel)
		switch {
		case lerr != nil:
			err = lerr
		case fi.IsDir():
			err = nil
		default:
			if err = r.Remove(it.rel); err == nil {
				err = r.Mkdir(it.rel, perm)
				created = err == nil
			}
		}
	}
	if err != nil {
		return fmt.Errorf("mkdir %s: %w", it.rel, err)
	}
	if created {
		if err := r.Lchown(it.rel, it.uid, it.gid); err != nil {
			return fmt.Errorf("chown %s: %w", it.rel, err)
		}
		if err := r.Chmod(it.rel, perm); err != nil { // Mkdir applied the umask
			return err
		}
	}
	if hasTime(it.mtime) {
		return r.Chtimes(it.rel, it.mtime, it.mtime)
	}
	return nil
}

// hasTime: a tar header without a time reads back as the epoch.
func hasTime(t time.Time) bool { return !t.IsZero() && t.Unix() > 0 }
