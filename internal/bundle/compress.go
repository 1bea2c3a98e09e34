package bundle

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"

	"github.com/devstack/devstack/internal/bundle/ldm"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Compression of the archive stream.
type Compression string

// Compressions devstack writes; a reader recognises each by its magic
// bytes, never by the file's name. All but ZstdLong are a plain tar that
// tar reads (tar --zstd -xf, tar -xzf, tar -xf).
const (
	None Compression = "none"
	Gzip Compression = "gzip"
	Zstd Compression = "zstd"
	// ZstdLong is zstd over the long-distance match layer (package ldm)
	// over the tar: what several images share up to 64 MiB back is stored
	// once. Only devstack reads it: zstd -d gives the ldm stream, no tar.
	ZstdLong Compression = "zstd-long"
)

// ParseCompression checks a --compression value.
func ParseCompression(s string) (Compression, error) {
	switch c := Compression(s); c {
	case None, Gzip, Zstd, ZstdLong:
		return c, nil
	}
	return "", fmt.Errorf("--compression %q: want zstd, zstd-long, gzip or none", s)
}

// Ext is the file name ending for an archive of this compression: what
// the file is, so zstd -d on NAME.ldm.zst gives NAME.ldm, not a tar.
func (c Compression) Ext() string {
	switch c {
	case Gzip:
		return ".tar.gz"
	case Zstd:
		return ".tar.zst"
	case ZstdLong:
		return ".ldm.zst"
	}
	return ".tar"
}

// compressor wraps w. zstd runs at its default level (the zstd CLI's
// level 3), compressing asynchronously to the writes (encoder
// concurrency), with entropy coding of literals-only blocks (0.1%
// smaller, no slower). zstd-long puts the long-distance match layer
// (package ldm, 64 MiB back: the files and code several images share)
// before it, on a goroutine of its own. gzip at its default level.
func compressor(w io.Writer, c Compression) (io.WriteCloser, error) {
	switch c {
	case Zstd, ZstdLong:
		z, err := zstd.NewWriter(w, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithAllLitEntropyCompression(true),
			zstd.WithEncoderConcurrency(runtime.GOMAXPROCS(0)))
		if err != nil {
			return nil, err
		}
		if c == Zstd {
			return z, nil
		}
		return newAsyncWriter(layered{ldm.NewWriter(z, 0), z}), nil
	case Gzip:
		return gzip.NewWriterLevel(w, gzip.DefaultCompression)
	}
	return nopCloser{w}, nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// layered writes to its first writer, which writes to the second, and
// closes both in that order.
type layered struct {
	io.WriteCloser
	under io.Closer
}

func (l layered) Close() error { return errors.Join(l.WriteCloser.Close(), l.under.Close()) }

var (
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
	gzipMagic = []byte{0x1f, 0x8b}
)

// decompressor recognises the compression by its magic bytes: zstd (and
// in it a plain tar, or the long-distance match layer by its header, its
// output bounded by limit when not 0), gzip, or else a plain tar.
func decompressor(r io.Reader, limit int64) (io.Reader, func(), error) {
	br := bufio.NewReaderSize(r, 1<<20)
	head, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(head, zstdMagic):
		d, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(runtime.GOMAXPROCS(0)))
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %v", ErrCorrupt, zstdError{err})
		}
		inner := bufio.NewReaderSize(zstdReader{d}, 64<<10)
		if head, _ := inner.Peek(ldm.HeaderLen); !ldm.IsStream(head) {
			return inner, d.Close, nil // a plain tar (zstd, and all of format 1)
		}
		l, err := ldm.NewReader(inner)
		if err != nil {
			err = damagedUnder(inner, err) // the header may be the zstd stream's damage
			d.Close()
			if errors.Is(err, ldm.ErrNewerVersion) {
				return nil, nil, fmt.Errorf("%w: %v: load it with a newer devstack", ErrNewerFormat, err)
			}
			return nil, nil, fmt.Errorf("%w: %v", ErrCorrupt, readErr(err))
		}
		if limit > 0 {
			l.Limit(limit)
		}
		return ldmLayer{l, inner}, d.Close, nil
	case bytes.HasPrefix(head, gzipMagic):
		g, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: gzip: %v", ErrCorrupt, err)
		}
		return g, func() { g.Close() }, nil
	}
	return br, func() {}, nil
}

// zstdReader says that its errors are the zstd stream's.
type zstdReader struct{ d *zstd.Decoder }

func (z zstdReader) Read(p []byte) (int, error) {
	n, err := z.d.Read(p)
	if err != nil && err != io.EOF {
		err = zstdError{err}
	}
	return n, err
}

type zstdError struct{ err error }

func (e zstdError) Error() string { return "damaged zstd stream: " + e.err.Error() }
func (e zstdError) Unwrap() error { return e.err }

// ldmLayer reads the long-distance match stream. What it finds damaged
// may be the zstd stream under it, which checks its blocks only at the
// end of its frame: it reads on (up to a bound) to tell.
type ldmLayer struct {
	l     *ldm.Reader
	under io.Reader
}

func (l ldmLayer) Read(p []byte) (int, error) {
	n, err := l.l.Read(p)
	if errors.Is(err, ldm.ErrCorrupt) {
		err = damagedUnder(l.under, err)
	}
	return n, err
}
