package bundle

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/devstack/devstack/internal/termsafe"
)

// walk decompresses and reads the tar stream, naming the member at which
// it fails, within the budget of what the archive may expand to; then it
// reads the compressed stream to its end, which checks its trailer.
func walk(r io.Reader, fn func(Member, io.Reader) error) error {
	g := &guard{in: &countingReader{r: r}}
	if s, ok := r.(sized); ok {
		g.size = s.size
	}
	dr, closeFn, err := decompressor(g.in, budgetFor(g.size))
	if err != nil {
		return err
	}
	defer closeFn()
	g.r = dr
	tr := tar.NewReader(g)
	last := "the start"
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return drain(g)
		}
		if err != nil {
			return walkErr(damagedUnder(g, err), "after "+last)
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
			return fmt.Errorf("%w: member %s has unsupported tar type %q", ErrCorrupt, termsafe.Name(h.Name), h.Typeflag)
		}
		if err := g.checkDeclared(m.Name, m.Size); err != nil {
			return err
		}
		last = "member " + termsafe.Name(m.Name)
		if err := fn(m, archiveReader{tr}); err != nil {
			var se streamError
			if errors.As(err, &se) {
				return walkErr(err, "in member "+termsafe.Name(m.Name))
			}
			return err
		}
	}
}

// walkErr is an error reading the archive stream at where.
func walkErr(err error, where string) error {
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, ErrTooLarge):
		return err
	}
	return fmt.Errorf("%w: %s: %v", ErrCorrupt, where, readErr(err))
}

// damagedUnder is the compressed stream's error when a tar structure
// error (err) came of a damaged zstd stream, which checks its blocks only
// at the end of its frame: it reads on, up to a bound, to tell.
func damagedUnder(r io.Reader, err error) error {
	var ze zstdError
	if errors.As(err, &ze) || errors.Is(err, ErrTooLarge) || errors.Is(err, context.Canceled) {
		return err
	}
	if _, zerr := io.CopyN(io.Discard, r, 64<<20); errors.As(zerr, &ze) {
		return zerr
	}
	return err
}

// drain reads what follows the tar's end (padding) to the end of the
// compressed stream, so that a stream cut short or damaged there (a gzip
// trailer, a zstd frame's checksum) is refused too.
func drain(r io.Reader) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return walkErr(err, "after the end of the tar")
	}
	return nil
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
	var ze zstdError
	if errors.As(err, &ze) {
		return "damaged zstd stream: " + readErr(ze.err)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of data (truncated?)"
	}
	return err.Error()
}
