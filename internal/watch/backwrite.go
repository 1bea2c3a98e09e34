package watch

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/devstack/devstack/internal/atomicfile"
	"github.com/devstack/devstack/internal/termsafe"
)

// maxBack is the largest file written back (the receiver sends no larger).
const maxBack = 64 << 20

// takeBack writes a file sent back from the container (hdr names it
// relative to the trigger's target) under the trigger's path, and returns
// the host path written ("" when the host has it already: an echo of a
// sync). When the host's file changed since it was last synced, or
// conflict says so, the host's stays and the container's is written
// beside it as FILE.container, with one warning; the host's then goes
// into the container.
func (r *runner) takeBack(t *Trigger, hdr *tar.Header, body io.Reader, conflict bool) (string, error) {
	if hdr.Typeflag != tar.TypeReg {
		return "", nil
	}
	host, err := backPath(t.Path, hdr.Name)
	if err != nil {
		return "", err
	}
	data, err := io.ReadAll(io.LimitReader(body, maxBack+1))
	if err != nil {
		return "", err
	}
	if len(data) > maxBack {
		return "", fmt.Errorf("larger than %d MiB", maxBack>>20)
	}
	cur, err := os.Lstat(host)
	switch {
	case err == nil && !cur.Mode().IsRegular():
		return "", fmt.Errorf("%s is not a regular file on the host", host)
	case err == nil && sameContent(host, cur, data):
		return "", nil
	case err == nil && (conflict || !r.stamps.unchanged(host, cur)):
		keep := host + ".container"
		if err := r.writeBack(t, keep, hdr, data); err != nil {
			return "", err
		}
		say(r.out, "service %s: %s changed in the container and on the host: the host's version stays, the container's is kept as %s",
			t.Service, termsafe.Name(rel(r.p.WorkingDir, host)), termsafe.Name(rel(r.p.WorkingDir, keep)))
		r.changed(host)
		return keep, nil
	case err != nil && !os.IsNotExist(err):
		return "", err
	}
	return host, r.writeBack(t, host, hdr, data)
}

// backPath is where name (relative to the target) goes under dir, the
// rule's path: never outside it, never through a symlink.
func backPath(dir, name string) (string, error) {
	clean := path.Clean("/" + name)
	if name == "" || strings.Contains("/"+name+"/", "/../") || path.IsAbs(name) || clean == "/" {
		return "", fmt.Errorf("%w: %q", ErrOutside, name)
	}
	host := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(clean, "/")))
	if _, ok := within(dir, host); !ok {
		return "", fmt.Errorf("%w: %q", ErrOutside, name)
	}
	if err := noSymlinks(dir, host); err != nil {
		return "", err
	}
	return host, nil
}

// noSymlinks checks each existing element below dir on the way to p (p
// included): a symlink, or a file where a directory must be, is refused.
func noSymlinks(dir, p string) error {
	rest, _ := filepath.Rel(dir, p)
	cur := dir
	parts := strings.Split(rest, string(filepath.Separator))
	for i, part := range parts {
		cur = filepath.Join(cur, part)
		fi, err := os.Lstat(cur)
		if os.IsNotExist(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if fi.Mode()&os.ModeSymlink != 0 {
			return fmt.Errorf("%w: %s is a symlink", ErrOutside, cur)
		}
		if i < len(parts)-1 && !fi.IsDir() {
			return fmt.Errorf("%s is not a directory", cur)
		}
	}
	return nil
}

func sameContent(host string, fi os.FileInfo, data []byte) bool {
	if fi.Size() != int64(len(data)) {
		return false
	}
	cur, err := os.ReadFile(host)
	return err == nil && bytes.Equal(cur, data)
}

// writeBack writes the file (atomically: a temporary file renamed into
// place) with the container's mode and time, its directories as needed,
// owned like the rule's path when devstack runs as root.
func (r *runner) writeBack(t *Trigger, host string, hdr *tar.Header, data []byte) error {
	if err := noSymlinks(t.Path, host); err != nil {
		return err
	}
	uid, gid := -1, -1
	if fi, err := os.Stat(t.Path); err == nil && os.Geteuid() == 0 {
		uid, gid = fileOwner(fi)
	}
	if err := mkdirsBelow(t.Path, filepath.Dir(host), uid, gid); err != nil {
		return err
	}
	if err := atomicfile.Write(host, data, os.FileMode(hdr.Mode).Perm()); err != nil {
		return err
	}
	if uid >= 0 {
		_ = os.Lchown(host, uid, gid)
	}
	if !hdr.ModTime.IsZero() {
		_ = os.Chtimes(host, hdr.ModTime, hdr.ModTime)
	}
	fi, err := os.Lstat(host)
	if err != nil {
		return err
	}
	r.stamps.wroteBack(host, fi)
	return nil
}

// mkdirsBelow makes the directories from dir (which exists) down to p.
func mkdirsBelow(dir, p string, uid, gid int) error {
	rest, err := filepath.Rel(dir, p)
	if err != nil || rest == "." {
		return err
	}
	cur := dir
	for _, part := range strings.Split(rest, string(filepath.Separator)) {
		cur = filepath.Join(cur, part)
		err := os.Mkdir(cur, 0o755)
		if err == nil && uid >= 0 {
			_ = os.Lchown(cur, uid, gid)
		}
		if err != nil && !os.IsExist(err) {
			return err
		}
		if fi, err := os.Lstat(cur); err != nil || !fi.IsDir() {
			return fmt.Errorf("%w: %s is not a directory", ErrOutside, cur)
		}
	}
	return nil
}
