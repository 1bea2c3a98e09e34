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

// stageName is where a restore unpacks a volume's archive, inside the
// volume, beside its content (a rename away from it).
const stageName = ".devstack-restore"

// restore replaces the content of the snapshot's volumes (those named by
// keys, else all), mounted at /v/KEY, with the snapshot's: stage, then
// swap.
func restore(ctx context.Context, dir string, keys []string) (manifest.Manifest, error) {
	m, err := stage(ctx, dir, keys)
	if err != nil {
		return m, err
	}
	return m, swapAll(m.Volumes)
}

// stage unpacks each archive of the snapshot (those of keys, else all)
// into its volume's stageName, reading it once: its size and sha256 are
// checked while it unpacks, and the stage gets the mode, owner and time
// of the archive's "./" entry. A damaged snapshot or a failure (a full
// disk, a stop) removes every stage: the volumes are as they were, their
// roots' times too. The volume's content is not touched: its containers
// may run meanwhile.
func stage(ctx context.Context, dir string, keys []string) (manifest.Manifest, error) {
	m, err := readManifest(dir)
	if err != nil {
		return m, err
	}
	vols, err := pick(m, keys)
	if err != nil {
		return m, err
	}
	var staged []string
	mtimes := map[string]time.Time{}
	ok := false
	defer func() {
		if !ok {
			for _, k := range staged {
				os.RemoveAll(filepath.Join(volumesDir, k, stageName))
				os.Chtimes(filepath.Join(volumesDir, k), time.Time{}, mtimes[k])
			}
		}
	}()
	for _, v := range vols {
		root := filepath.Join(volumesDir, v.Key)
		fi, err := os.Stat(root)
		if err != nil {
			return m, fmt.Errorf("volume %s: %w: nothing restored", v.Name, err)
		}
		mtimes[v.Key] = fi.ModTime()
		st := filepath.Join(root, stageName)
		os.RemoveAll(st) // a stage a killed restore left
		if err := os.Mkdir(st, 0o700); err != nil {
			return m, fmt.Errorf("volume %s: %w: nothing restored", v.Name, err)
		}
		staged = append(staged, v.Key)
		rootHdr, err := extractVerified(ctx, filepath.Join(dir, v.Key+manifest.Suffix), st, v)
		if errors.Is(err, syscall.ENOSPC) { // the stage is a second copy beside the content
			return m, fmt.Errorf("snapshot %s: volume %s has no room for the snapshot's copy beside its content (no space left on device): nothing restored", m.Name, v.Name)
		}
		if err != nil {
			return m, fmt.Errorf("snapshot %s: %w: nothing restored", m.Name, err)
		}
		if rootHdr == nil { // the volume's root keeps its attributes
			rootHdr = attrsOf(fi)
		}
		if err := setAttrs(st, rootHdr); err != nil {
			return m, fmt.Errorf("volume %s: %w: nothing restored", v.Name, err)
		}
	}
	ok = true
	m.Volumes = vols
	return m, nil
}

// swapAll swaps each staged volume in: its content replaced by the stage's.
func swapAll(vols []manifest.Volume) error {
	for _, v := range vols {
		root := filepath.Join(volumesDir, v.Key)
		if err := swap(root, filepath.Join(root, stageName)); err != nil {
			return fmt.Errorf("volume %s: %w", v.Name, err)
		}
	}
	return nil
}

// unstage removes the stages of the volumes (a restore given up between
// stage and swap).
func unstage(vols []manifest.Volume) error {
	var first error
	for _, v := range vols {
		if err := os.RemoveAll(filepath.Join(volumesDir, v.Key, stageName)); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// attrsOf is fi's owner, mode and time as a tar header, for setAttrs.
func attrsOf(fi fs.FileInfo) *tar.Header {
	h := &tar.Header{Mode: int64(fi.Mode().Perm()), ModTime: fi.ModTime()}
	for bit, m := range map[fs.FileMode]int64{fs.ModeSetuid: 0o4000, fs.ModeSetgid: 0o2000, fs.ModeSticky: 0o1000} {
		if fi.Mode()&bit != 0 {
			h.Mode |= m
		}
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		h.Uid, h.Gid = int(st.Uid), int(st.Gid)
	}
	return h
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
// owner and time of stage (the archive's "./" entry's).
func swap(root, stage string) error {
	sfi, err := os.Lstat(stage)
	if err != nil || !sfi.IsDir() {
		return fmt.Errorf("nothing staged to restore (%v)", err)
	}
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
	return setAttrs(root, attrsOf(sfi))
}

// extractVerified unpacks the archive file into dst and checks, in the
// same read, that the file has the manifest's size and sha256; it returns
// the archive's "./" entry.
func extractVerified(ctx context.Context, file, dst string, v manifest.Volume) (*tar.Header, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("%s%s is missing", v.Key, manifest.Suffix)
	}
	defer f.Close()
	h := sha256.New()
	cr := &countReader{r: io.TeeReader(f, h)}
	root, xerr := extract(ctx, bufio.NewReaderSize(cr, 1<<20), dst)
	if xerr != nil && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if _, err := io.Copy(io.Discard, cr); err != nil { // the rest (padding, the frame's end) counts too
		return nil, err
	}
	if cr.n != v.Size || hex.EncodeToString(h.Sum(nil)) != v.SHA256 {
		return nil, fmt.Errorf("%s%s is damaged (checksum mismatch)", v.Key, manifest.Suffix)
	}
	if xerr != nil {
		return nil, fmt.Errorf("%s%s: %w", v.Key, manifest.Suffix, xerr)
	}
	return root, nil
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// extract unpacks the zstd-compressed tar r into dst and returns its "./"
// entry.
func extract(ctx context.Context, r io.Reader, dst string) (*tar.Header, error) {
	zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
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
	if _, err := io.Copy(io.Discard, zr); err != nil { // the frame's checksum
		return nil, err
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
