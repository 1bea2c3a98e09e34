package bundle

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
)

// walk decompresses and reads the tar stream, naming the member at which
// it fails.
func walk(r io.Reader, fn func(Member, io.Reader) error) error {
	dr, closeFn, err := decompressor(r)
	if err != nil {
		return err
	}
	defer closeFn()
	tr := tar.NewReader(dr)
	last := "the start"
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return err
			}
			return fmt.Errorf("%w: after %s: %v", ErrCorrupt, last, readErr(err))
		}
		m := Member{Name: trimDirSlash(h.Name), Mode: h.Mode, Link: h.Linkname}
		switch h.Typeflag {
		case tar.TypeReg:
			m.Type, m.Size = TypeFile, h.Size
		case tar.TypeDir:
			m.Type = TypeDir
		case tar.TypeSymlink:
			m.Type = TypeSymlink
		default:
			return fmt.Errorf("%w: member %s has unsupported tar type %q", ErrCorrupt, h.Name, h.Typeflag)
		}
		last = "member " + m.Name
		if err := fn(m, archiveReader{tr}); err != nil {
			var se streamError
			if errors.As(err, &se) && !errors.Is(err, context.Canceled) {
				return fmt.Errorf("%w: in member %s: %v", ErrCorrupt, m.Name, readErr(err))
			}
			return err
		}
	}
}

// archiveReader marks errors of reading the archive stream (truncation,
// damaged compression), so walk can tell them from the callback's own.
type archiveReader struct{ r io.Reader }

func (a archiveReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if err != nil && err != io.EOF {
		err = streamError{err}
	}
	return n, err
}

type streamError struct{ err error }

func (e streamError) Error() string { return e.err.Error() }
func (e streamError) Unwrap() error { return e.err }

func readErr(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of data (truncated?)"
	}
	return err.Error()
}
