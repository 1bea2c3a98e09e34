package receiver

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

// TmpPrefix names the temporary files a Writer renames into place; the
// watcher ignores them, should the target be a watched bind mount.
const TmpPrefix = ".devstack-sync-"

// Item is one directory, file or symlink to write under an os.Root, as tar
// extracts a header. The watch's direct path (the container's root seen
// through /proc/PID/root) and the receiver in the container (reading tar
// headers) both apply items with a Writer, so the two write files the same
// way.
type Item struct {
	Rel      string      // slash path below the root, without a leading "/"
	Mode     fs.FileMode // type (directory, symlink or regular file) and permissions
	UID, GID int
	MTime    time.Time // zero or the epoch: left alone (parent directories)
	Link     string    // a symlink's target
	Body     io.Reader // a regular file's contents
}

// RelPath turns a container path into a path below the root; "" for the
// root itself.
func RelPath(p string) string {
	return strings.TrimPrefix(path.Clean("/"+p), "/")
}

// removeAll deletes the container paths, with everything below them.
func RemoveAll(r *os.Root, paths []string) error {
	for _, p := range paths {
		if rel := RelPath(p); rel != "" {
			if err := r.RemoveAll(rel); err != nil {
				return err
			}
		}
	}
	return nil
}

// Writer applies a batch's items under a root. It keeps each
// directory it writes files into open (as an os.Root of its own), so a file
// costs a few system calls on one path component instead of a walk of the
// whole path for every step.
type Writer struct {
	r    *os.Root
	dirs map[string]*os.Root // "a/b" -> that directory, opened below r
}

// NewWriter writes below r; Close it when the batch is done.
func NewWriter(r *os.Root) *Writer {
	return &Writer{r: r, dirs: map[string]*os.Root{}}
}

// Close closes the directories the Writer opened (not its root).
func (w *Writer) Close() {
	for rel, d := range w.dirs {
		d.Close()
		delete(w.dirs, rel)
	}
}

// dir opens (creating it when missing) the directory rel; "." is the root.
func (w *Writer) dir(rel string) (*os.Root, error) {
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

// Apply writes one item. A file or symlink is written to a temporary name
// and renamed into place, so a server never serves half a file; a
// directory in its place is replaced, as tar would. A directory that
// exists keeps its owner and mode.
func (w *Writer) Apply(it Item) error {
	if it.Rel == "" {
		return nil // the root itself is not ours to change
	}
	if it.Mode.IsDir() {
		return makeDir(w.r, it)
	}
	parent, err := w.dir(path.Dir(it.Rel))
	if err != nil {
		return err
	}
	base := path.Base(it.Rel)
	tmp := TmpPrefix + base
	err = writeTemp(parent, tmp, it)
	if errors.Is(err, fs.ErrExist) {
		_ = parent.Remove(tmp) // left over from an interrupted copy
		err = writeTemp(parent, tmp, it)
	}
	if err == nil {
		var replacedDir bool
		replacedDir, err = replace(parent, tmp, base)
		if replacedDir {
			w.Close() // directories opened below it are gone
		}
	}
	if err != nil {
		_ = parent.Remove(tmp)
	}
	return err
}

// writeTemp creates the symlink or file tmp (in dir) with the item's
// owner, mode and time.
func writeTemp(dir *os.Root, tmp string, it Item) error {
	switch {
	case it.Mode&fs.ModeSymlink != 0:
		if err := dir.Symlink(it.Link, tmp); err != nil {
			return err
		}
		return dir.Lchown(tmp, it.UID, it.GID)
	case !it.Mode.IsRegular():
		return fmt.Errorf("%s: cannot copy a file of type %v", it.Rel, it.Mode.Type())
	}
	dst, err := dir.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if it.Body != nil {
		_, err = io.Copy(dst, it.Body)
	}
	if err == nil {
		err = dst.Chown(it.UID, it.GID) // before chmod, which it would clear setuid bits of
	}
	if err == nil {
		err = dst.Chmod(it.Mode.Perm())
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err == nil && hasTime(it.MTime) {
		err = dir.Chtimes(tmp, it.MTime, it.MTime)
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
func makeDir(r *os.Root, it Item) error {
	perm := it.Mode.Perm()
	err := r.Mkdir(it.Rel, perm)
	if errors.Is(err, fs.ErrNotExist) {
		if err = r.MkdirAll(path.Dir(it.Rel), 0o755); err == nil {
			err = r.Mkdir(it.Rel, perm)
		}
	}
	created := err == nil
	if errors.Is(err, fs.ErrExist) {
		fi, lerr := r.Lstat(it.Rel)
		switch {
		case lerr != nil:
			err = lerr
		case fi.IsDir():
			err = nil
		default:
			if err = r.Remove(it.Rel); err == nil {
				err = r.Mkdir(it.Rel, perm)
				created = err == nil
			}
		}
	}
	if err != nil {
		return fmt.Errorf("mkdir %s: %w", it.Rel, err)
	}
	if created {
		if err := r.Lchown(it.Rel, it.UID, it.GID); err != nil {
			return fmt.Errorf("chown %s: %w", it.Rel, err)
		}
		if err := r.Chmod(it.Rel, perm); err != nil { // Mkdir applied the umask
			return err
		}
	}
	if hasTime(it.MTime) {
		return r.Chtimes(it.Rel, it.MTime, it.MTime)
	}
	return nil
}

// hasTime: a tar header without a time reads back as the epoch.
func hasTime(t time.Time) bool { return !t.IsZero() && t.Unix() > 0 }
