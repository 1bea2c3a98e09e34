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
// reading tar headers) both apply items with applyItem, so the two write
// files the same way.
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

// applyItem writes one item. A file or symlink is written to a temporary
// name and renamed into place, so a server never serves half a file; a
// directory in its place is replaced, as tar would. A directory that
// exists keeps its owner and mode.
func applyItem(r *os.Root, it item) error {
	if it.rel == "" {
		return nil // the root itself is not ours to change
	}
	if it.mode.IsDir() {
		return makeDir(r, it)
	}
	if err := r.MkdirAll(path.Dir(it.rel), 0o755); err != nil {
		return err
	}
	tmp := path.Join(path.Dir(it.rel), tmpPrefix+path.Base(it.rel))
	_ = r.Remove(tmp) // left over from an interrupted copy
	err := writeTemp(r, tmp, it)
	if err == nil {
		err = r.Lchown(tmp, it.uid, it.gid)
	}
	if err == nil {
		err = replace(r, tmp, it.rel)
	}
	if err != nil {
		_ = r.Remove(tmp)
	}
	return err
}

// writeTemp creates the symlink or file at tmp with the item's mode and time.
func writeTemp(r *os.Root, tmp string, it item) error {
	switch {
	case it.mode&fs.ModeSymlink != 0:
		return r.Symlink(it.link, tmp)
	case !it.mode.IsRegular():
		return fmt.Errorf("%s: cannot copy a file of type %v", it.rel, it.mode.Type())
	}
	dst, err := r.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if it.body != nil {
		_, err = io.Copy(dst, it.body)
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = r.Chmod(tmp, it.mode.Perm())
	}
	if err == nil && hasTime(it.mtime) {
		err = r.Chtimes(tmp, it.mtime, it.mtime)
	}
	return err
}

// replace renames tmp to rel; a directory at rel is removed first.
func replace(r *os.Root, tmp, rel string) error {
	err := r.Rename(tmp, rel)
	if err == nil {
		return nil
	}
	if fi, lerr := r.Lstat(rel); lerr == nil && fi.IsDir() {
		if err = r.RemoveAll(rel); err == nil {
			err = r.Rename(tmp, rel)
		}
	}
	return err
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
