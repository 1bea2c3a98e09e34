//go:build linux

package main

import (
	"archive/tar"
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/devstack/devstack/internal/snapshot/manifest"
)

// errStoreFull is a save that ran out of room in the store.
var errStoreFull = errors.New("the snapshot store (volume " + manifest.StoreVolume + ") is full (no space left on device): nothing written")

// save writes the snapshot dir: each volume of m (mounted at /v/KEY) as
// KEY.tar.zst, then manifest.json with each archive's size and sha256,
// all in a temporary directory renamed to dir at the end, so a full disk
// (errStoreFull) or a stop leaves nothing half-written and no existing
// snapshot changed.
func save(ctx context.Context, dir string, m manifest.Manifest) (manifest.Manifest, error) {
	m, err := saveTo(ctx, dir, m)
	if errors.Is(err, syscall.ENOSPC) {
		return m, errStoreFull
	}
	return m, err
}

func saveTo(ctx context.Context, dir string, m manifest.Manifest) (manifest.Manifest, error) {
	parent, name := filepath.Dir(dir), filepath.Base(dir)
	if err := manifest.CheckName(name); err != nil {
		return m, err
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return m, err
	}
	cleanStale(parent)
	if _, err := os.Lstat(dir); err == nil {
		return m, fmt.Errorf("snapshot %s exists (devstack snapshot rm %s first, or choose another name)", name, name)
	}
	tmp, err := os.MkdirTemp(parent, ".tmp-"+name+"-")
	if err != nil {
		return m, err
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	for i := range m.Volumes {
		v := &m.Volumes[i]
		if err := manifest.CheckName(v.Key); err != nil {
			return m, err
		}
		v.Size, v.Content, v.SHA256, err = archive(ctx, filepath.Join(volumesDir, v.Key), filepath.Join(tmp, v.Key+manifest.Suffix))
		if err != nil {
			return m, fmt.Errorf("volume %s: %w", v.Name, err)
		}
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, err
	}
	if err := writeSync(filepath.Join(tmp, manifest.File), data); err != nil {
		return m, err
	}
	if err := syncDir(tmp); err != nil {
		return m, err
	}
	if err := ctx.Err(); err != nil {
		return m, err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return m, err
	}
	done = true
	return m, syncDir(parent)
}

// cleanStale removes what a save or rm that was killed left behind (devstack
// holds the project's lock, so none is running).
func cleanStale(parent string) {
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp-") || strings.HasPrefix(e.Name(), ".rm-") {
			os.RemoveAll(filepath.Join(parent, e.Name()))
		}
	}
}

func writeSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// archive writes the tree src as a zstd-compressed tar to dst and returns
// the archive's size, the bytes of file content in it and its sha256.
func archive(ctx context.Context, src, dst string) (size, content int64, sum string, err error) {
	f, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return 0, 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	cw := &counter{w: io.MultiWriter(f, h)}
	bw := bufio.NewWriterSize(cw, 1<<20)
	zw, err := zstd.NewWriter(bw, zstd.WithEncoderLevel(zstd.SpeedFastest))
	if err != nil {
		return 0, 0, "", err
	}
	tw := tar.NewWriter(zw)
	content, err = writeTree(ctx, tw, src)
	for _, close := range []func() error{tw.Close, zw.Close, bw.Flush, f.Sync} {
		if err == nil {
			err = close()
		}
	}
	if err != nil {
		zw.Close()
		return 0, 0, "", err
	}
	return cw.n, content, hex.EncodeToString(h.Sum(nil)), f.Close()
}

type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// ctxReader stops a long copy once ctx ends (SIGTERM).
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

type inode struct{ dev, ino uint64 }

// writeTree writes every entry under src (src itself as "./"), in lexical
// order, with modes, numeric owners, times, symlinks, hard links and
// devices; sockets have no tar form and are left out.
func writeTree(ctx context.Context, tw *tar.Writer, src string) (int64, error) {
	var content int64
	links := map[inode]string{}
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if fi.Mode()&fs.ModeSocket != 0 {
			return nil
		}
		hdr, err := header(path, "./"+filepath.ToSlash(rel), fi, links)
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if hdr.Typeflag != tar.TypeReg || hdr.Size == 0 {
			return nil
		}
		n, err := copyFile(ctx, tw, path, hdr.Size)
		content += n
		return err
	})
	return content, err
}

func header(path, name string, fi fs.FileInfo, links map[inode]string) (*tar.Header, error) {
	var link string
	if fi.Mode()&fs.ModeSymlink != 0 {
		var err error
		if link, err = os.Readlink(path); err != nil {
			return nil, err
		}
	}
	hdr, err := tar.FileInfoHeader(fi, link)
	if err != nil {
		return nil, err
	}
	hdr.Name = strings.TrimSuffix(name, "/.")
	if fi.IsDir() && !strings.HasSuffix(hdr.Name, "/") {
		hdr.Name += "/"
	}
	hdr.Uname, hdr.Gname = "", ""
	hdr.AccessTime, hdr.ChangeTime = time.Time{}, time.Time{}
	hdr.Format = tar.FormatPAX // times to the nanosecond
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		hdr.Uid, hdr.Gid = int(st.Uid), int(st.Gid)
		if fi.Mode().IsRegular() && st.Nlink > 1 {
			key := inode{uint64(st.Dev), st.Ino}
			if first, ok := links[key]; ok {
				hdr.Typeflag, hdr.Linkname, hdr.Size = tar.TypeLink, first, 0
			} else {
				links[key] = hdr.Name
			}
		}
	}
	return hdr, nil
}

func copyFile(ctx context.Context, w io.Writer, path string, size int64) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n, err := io.CopyN(w, ctxReader{ctx, f}, size)
	if err == io.EOF {
		err = fmt.Errorf("%s shrank while it was saved", path)
	}
	return n, err
}
