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

// Compressions devstack writes; a reader recognises each by its magic bytes.
const (
	None Compression = "none"
	Gzip Compression = "gzip"
	Zstd Compression = "zstd"
)

// ParseCompression checks a --compression value.
func ParseCompression(s string) (Compression, error) {
	switch c := Compression(s); c {
	case None, Gzip, Zstd:
		return c, nil
	}
	return "", fmt.Errorf("--compression %q: want none, gzip or zstd", s)
}

// Ext is the file name ending for an archive of this compression.
func (c Compression) Ext() string {
	switch c {
	case Gzip:
		return ".tar.gz"
	case Zstd:
		return ".tar.zst"
	}
	return ".tar"
}

// compressor wraps w. zstd is the long-distance match layer (package ldm,
// 64 MiB back: the files and code several images share) and then zstd at
// its default level (the zstd CLI's level 3), compressing asynchronously
// to the writes (encoder concurrency), with entropy coding of
// literals-only blocks (0.1% smaller, no slower); gzip at its default
// level, on the plain tar, for tools that read .tar.gz.
func compressor(w io.Writer, c Compression) (io.WriteCloser, error) {
	switch c {
	case Zstd:
		z, err := zstd.NewWriter(w, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithAllLitEntropyCompression(true),
			zstd.WithEncoderConcurrency(runtime.GOMAXPROCS(0)))
		if err != nil {
			return nil, err
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

// decompressor recognises the compression by its magic bytes.
func decompressor(r io.Reader) (io.Reader, func(), error) {
	br := bufio.NewReaderSize(r, 1<<20)
	head, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(head, zstdMagic):
		d, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(runtime.GOMAXPROCS(0)))
		if err != nil {
			return nil, nil, fmt.Errorf("%w: zstd: %v", ErrCorrupt, err)
		}
		inner := bufio.NewReaderSize(d, 64<<10)
		if head, _ := inner.Peek(ldm.HeaderLen); !ldm.IsStream(head) {
			return inner, d.Close, nil // format 1: a plain tar
		}
		l, err := ldm.NewReader(inner)
		switch {
		case errors.Is(err, ldm.ErrNewerVersion):
			d.Close()
			return nil, nil, fmt.Errorf("%w: %v: load it with a newer devstack", ErrNewerFormat, err)
		case err != nil:
			d.Close()
			return nil, nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		return l, d.Close, nil
	case bytes.HasPrefix(head, gzipMagic):
		g, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: gzip: %v", ErrCorrupt, err)
		}
		return g, func() { g.Close() }, nil
	}
	return br, func() {}, nil
}
