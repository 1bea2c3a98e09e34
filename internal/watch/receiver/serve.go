package receiver

import (
	"archive/tar"
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Serve is devstack-receiver (and `devstack receive`): the receiver
// devstack watch starts in a container (as one exec, root, no TTY) when it
// cannot write into the container's root itself. It applies the batches it reads from in below
// root, the container's "/", answers each on out, and returns when in
// ends. Only an error that leaves the stream out of step ends it early.
func Serve(in io.Reader, out io.Writer, root string) error {
	r, err := os.OpenRoot(root)
	if err != nil {
		return err
	}
	defer r.Close()
	br := bufio.NewReaderSize(in, chunkBytes+5)
	bw := bufio.NewWriter(out)
	if err := answer(bw, frameHello, receiveProtocol); err != nil {
		return err
	}
	for {
		kind, payload, err := readFrame(br)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch kind {
		case frameBatch:
			err = serveBatch(r, br, bw, payload)
		case frameList, frameHash:
			err = serveQuery(r, bw, kind, payload)
		case frameFollow:
			return serveFollow(r, root, br, bw, payload)
		default:
			return fmt.Errorf("%w: frame %q between batches", ErrProtocol, kind)
		}
		if err != nil {
			return err
		}
	}
}

// serveBatch applies one batch and answers it; an error only when the
// stream cannot go on.
func serveBatch(r *os.Root, br *bufio.Reader, bw *bufio.Writer, deletes []byte) error {
	s := &tarStream{r: br}
	err := applyBatch(r, splitPaths(deletes), s)
	end := s.finish()
	if fatal(end) {
		return end
	}
	if err == nil {
		err = end // abandoned by the host
	}
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return answer(bw, frameFull, err.Error())
	case err != nil:
		return answer(bw, frameFail, err.Error())
	}
	return answer(bw, frameOK, "")
}

func answer(w *bufio.Writer, kind byte, msg string) error {
	if err := writeFrame(w, kind, []byte(msg)); err != nil {
		return err
	}
	return w.Flush()
}

// applyBatch deletes, then writes what the tar stream holds; it stops at
// the first error.
func applyBatch(r *os.Root, deletes []string, stream io.Reader) error {
	if err := RemoveAll(r, deletes); err != nil {
		return err
	}
	w := NewWriter(r)
	defer w.Close()
	tr := tar.NewReader(stream)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		it, err := headerItem(hdr, tr)
		if err == nil {
			err = w.Apply(it)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", hdr.Name, err)
		}
	}
}

// headerItem is what a tar header of a batch describes.
func headerItem(hdr *tar.Header, body io.Reader) (Item, error) {
	switch hdr.Typeflag {
	case tar.TypeReg, tar.TypeDir, tar.TypeSymlink:
	default:
		return Item{}, fmt.Errorf("tar entry of type %q: only files, directories and symlinks are synced", hdr.Typeflag)
	}
	it := Item{Rel: RelPath(hdr.Name), Mode: hdr.FileInfo().Mode(), UID: hdr.Uid, GID: hdr.Gid, Link: hdr.Linkname}
	if hdr.Typeflag != tar.TypeSymlink {
		it.MTime = hdr.ModTime
	}
	if hdr.Typeflag == tar.TypeReg {
		it.Body = body
	}
	return it, nil
}

// Prune removes the other versions of the receiver beside exe (a
// container keeps the receiver of every devstack build that synced into
// it otherwise); it touches nothing outside the receivers' directory.
func Prune(exe string) {
	if filepath.Dir(exe) != Dir {
		return
	}
	entries, err := os.ReadDir(Dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), Prefix) && e.Name() != filepath.Base(exe) {
			_ = os.Remove(filepath.Join(Dir, e.Name()))
		}
	}
}
