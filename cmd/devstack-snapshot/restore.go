//go:build linux

package main

import (
	"archive/tar"
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"github.com/klauspost/compress/zstd"

	"github.com/devstack/devstack/internal/snapshot/manifest"
)

// restore replaces the content of the snapshot's volumes (those named by
// keys, else all), mounted at /v/KEY, with the snapshot's. Every archive's
// checksum is checked over the whole file first: a damaged snapshot
// restores nothing. Each volume is then unpacked beside its content and
// swapped in only when every volume unpacked, so a failure (a full disk)
// leaves every volume as it was.
func restore(ctx context.Context, dir string, keys []string) (manifest.Manifest, error) {
	m, vols, err := verifyAll(dir, keys)
	if err != nil {
		return m, err
	}
	staged := map[string]string{}
	roots := map[string]*tar.Header{}
	defer func() {
		for _, s := range staged {
			os.RemoveAll(s)
		}
	}()
	for _, v := range vols {
		root := filepath.Join(volumesDir, v.Key)
		stage, err := os.MkdirTemp(root, ".devstack-restore-")
		if err != nil {
			return m, fmt.Errorf("volume %s: %w: nothing restored", v.Name, err)
		}
		staged[v.Key] = stage
		if roots[v.Key], err = extract(ctx, filepath.Join(dir, v.Key+manifest.Suffix), stage); err != nil {
			return m, fmt.Errorf("volume %s: %w: nothing restored", v.Name, err)
		}
	}
	for _, v := range vols {
		if err := swap(filepath.Join(volumesDir, v.Key), staged[v.Key], roots[v.Key]); err != nil {
			return m, fmt.Errorf("volume %s: %w", v.Name, err)
		}
		delete(staged, v.Key)
	}
	m.Volumes = vols
	return m, nil
}

// verifyAll checks the archives of the volumes keys (none: all) of the
// snapshot dir against its manifest.
func verifyAll(dir string, keys []string) (manifest.Manifest, []manifest.Volume, error) {
	m, err := readManifest(dir)
	if err != nil {
		return m, nil, err
	}
	vols, err := pick(m, keys)
	if err != nil {
		return m, nil, err
	}
	for _, v := range vols {
		if err := verify(filepath.Join(dir, v.Key+manifest.Suffix), v); err != nil {
			return m, nil, fmt.Errorf("snapshot %s: %w: nothing restored", m.Name, err)
		}
	}
	return m, vols, nil
}

func pick(m manifest.Manifest, keys []string) ([]manifest.Volume, error) {
	if len(keys) == 0 {
		return m.Volumes, nil
	}
	var out []manifest.Volume
	for _, k := range keys {
		i := slices.IndexFunc(m.Volumes, func(v manifest.Volume) bool { return v.Key == k })
		if i < 0 {
			return nil, fmt.Errorf("snapshot %s has no volume %s", m.Name, k)
		}
		out = append(out, m.Volumes[i])
	}
	return out, nil
}

// verify checks an archive's size and sha256 against the manifest.
func verify(file string, v manifest.Volume) error {
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("%s%s is missing", v.Key, manifest.Suffix)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return err
	}
	if n != v.Size || hex.EncodeToString(h.Sum(nil)) != v.SHA256 {
		return fmt.Errorf("%s%s is damaged (checksum mismatch)", v.Key, manifest.Suffix)
	}
	return nil
}

// swap replaces root's content by stage's, then gives root the mode,
// owner and time the archive's "./" entry had.
func swap(root, stage string, rootHdr *tar.Header) error {
	entries, err := os.ReadDir(root)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if p := filepath.Join(root, e.Name()); p != stage {
			if err := os.RemoveAll(p); err != nil {
				return err
			}
		}
	}
	if entries, err = os.ReadDir(stage); err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.Rename(filepath.Join(stage, e.Name()), filepath.Join(root, e.Name())); err != nil {
			return err
		}
	}
	if err := os.Remove(stage); err != nil {
		return err
	}
	if rootHdr != nil {
		return setAttrs(root, rootHdr)
	}
	return nil
}

// extract unpacks the archive into dst and returns its "./" entry.
func extract(ctx context.Context, file, dst string) (*tar.Header, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := zstd.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	var root *tar.Header
	var dirs []*tar.Header
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		name := path.Clean(hdr.Name)
		if name == "." {
			root = hdr
			continue
		}
		if path.IsAbs(name) || name == ".." || strings.HasPrefix(name, "../") {
			return nil, fmt.Errorf("archive entry %q is outside the volume", hdr.Name)
		}
		target := filepath.Join(dst, filepath.FromSlash(name))
		if err := create(ctx, tr, hdr, dst, target); err != nil {
			return nil, err
		}
		if hdr.Typeflag == tar.TypeDir {
			hdr.Name = target
			dirs = append(dirs, hdr)
		}
	}
	for i := len(dirs) - 1; i >= 0; i-- { // deepest first: a child's creation no longer changes their times
		if err := setAttrs(dirs[i].Name, dirs[i]); err != nil {
			return nil, err
		}
	}
	return root, nil
}

func create(ctx context.Context, r io.Reader, hdr *tar.Header, dst, target string) error {
	if fi, err := os.Lstat(filepath.Dir(target)); err != nil || !fi.IsDir() {
		return fmt.Errorf("archive entry %q: its directory is not one", hdr.Name)
	}
	switch hdr.Typeflag {
	case tar.TypeDir:
		if err := os.Mkdir(target, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
		return nil
	case tar.TypeReg:
		f, err := os.OpenFile(target, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		if _, err := io.Copy(f, ctxReader{ctx, r}); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	case tar.TypeSymlink:
		if err := os.Symlink(hdr.Linkname, target); err != nil {
			return err
		}
		if err := os.Lchown(target, hdr.Uid, hdr.Gid); err != nil {
			return err
		}
		return lutimes(target, hdr.ModTime)
	case tar.TypeLink:
		old := path.Clean(hdr.Linkname)
		if path.IsAbs(old) || old == ".." || strings.HasPrefix(old, "../") {
			return fmt.Errorf("archive entry %q links outside the volume", hdr.Name)
		}
		return os.Link(filepath.Join(dst, filepath.FromSlash(old)), target)
	case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		mode := map[byte]uint32{tar.TypeChar: syscall.S_IFCHR, tar.TypeBlock: syscall.S_IFBLK, tar.TypeFifo: syscall.S_IFIFO}[hdr.Typeflag]
		if err := syscall.Mknod(target, mode|0o600, mkdev(hdr.Devmajor, hdr.Devminor)); err != nil {
			return err
		}
	default:
		return nil // nothing else is written by save
	}
	return setAttrs(target, hdr)
}

// setAttrs gives path the entry's owner, then mode (chown clears setuid),
// then modification time.
func setAttrs(p string, hdr *tar.Header) error {
	if err := os.Lchown(p, hdr.Uid, hdr.Gid); err != nil {
		return err
	}
	if err := os.Chmod(p, hdr.FileInfo().Mode()&(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky)); err != nil {
		return err
	}
	return os.Chtimes(p, hdr.ModTime, hdr.ModTime)
}

// lutimes sets a symlink's own times (utimensat with
// AT_SYMLINK_NOFOLLOW, which package syscall does not wrap).
func lutimes(p string, t time.Time) error {
	ts := []syscall.Timespec{syscall.NsecToTimespec(t.UnixNano()), syscall.NsecToTimespec(t.UnixNano())}
	name, err := syscall.BytePtrFromString(p)
	if err != nil {
		return err
	}
	const atFDCWD, atSymlinkNofollow = -100, 0x100
	fd := atFDCWD
	_, _, errno := syscall.Syscall6(syscall.SYS_UTIMENSAT, uintptr(fd), uintptr(unsafe.Pointer(name)), uintptr(unsafe.Pointer(&ts[0])), atSymlinkNofollow, 0, 0)
	if errno != 0 {
		return &os.PathError{Op: "utimensat", Path: p, Err: errno}
	}
	return nil
}

// mkdev is Linux's makedev.
func mkdev(major, minor int64) int {
	return int((major&0xfffff000)<<32 | (major&0xfff)<<8 | (minor&0xffffff00)<<12 | minor&0xff)
}
