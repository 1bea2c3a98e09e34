// Package ldm is a long-distance match layer: a reversible transform of a
// byte stream that replaces a repeat of 64 bytes or more, found anywhere
// in the last window of input (64 MiB by default), by a reference to it.
// A compressor after it (zstd at its default level keeps a few megabytes
// of history) then never sees those bytes. It is the long-distance
// matching of the zstd CLI's --long, done before the compressor, since
// the pure-Go zstd encoder has none: what it finds is what image exports
// are full of, the same files and libraries in several images and the
// shared code of several binaries.
//
// The stream: the header (magic "dsldm\x00", the version byte, the
// window's log2), then records. A record is the uvarint length of a run
// of literal bytes, the uvarint length of the match that follows them
// and, when that is not zero, the match's uvarint distance back (1 to the
// window, within what was decoded before it), then the literal bytes. A
// record of no literal and no match ends the stream, and nothing may
// follow it.
package ldm

import "fmt"

const (
	magic   = "dsldm\x00"
	version = 1
	// HeaderLen is the header's length: magic, version and window log.
	HeaderLen = len(magic) + 2

	// DefaultWindowLog is 64 MiB of history, which the reader holds too.
	DefaultWindowLog = 26
	minWindowLog     = 16
	maxWindowLog     = 27 // what a reader holds at most: 128 MiB

	// minMatch is the shortest repeat replaced, and the span the rolling
	// hash covers.
	minMatch = 64
	// rateLog: a position is hashed into the table where the rolling
	// hash's top rateLog bits are zero, one in 512 on average; the same
	// content gives the same positions wherever it appears.
	rateLog = 9
	// bucketSize entries per bucket of the table (8 MiB for the default
	// window).
	bucketSize = 4

	// chunk bounds the work between flushes: the writer keeps this much
	// lookahead, the reader decodes this much at a time.
	chunk = 1 << 20
)

// IsStream reports whether head, the first bytes of a stream, starts with
// this format's magic.
func IsStream(head []byte) bool {
	return len(head) >= len(magic) && string(head[:len(magic)]) == magic
}

func checkHeader(h []byte) (windowLog int, err error) {
	switch {
	case !IsStream(h):
		return 0, fmt.Errorf("%w: no header", ErrCorrupt)
	case h[len(magic)] > version:
		return 0, fmt.Errorf("%w: version %d, this reader knows %d", ErrNewerVersion, h[len(magic)], version)
	case h[len(magic)] == 0:
		return 0, fmt.Errorf("%w: version 0", ErrCorrupt)
	}
	wl := int(h[len(magic)+1])
	if wl < minWindowLog || wl > maxWindowLog {
		return 0, fmt.Errorf("%w: window 2^%d bytes", ErrCorrupt, wl)
	}
	return wl, nil
}

// gear is the rolling hash's table: a random 64-bit value per byte value
// (splitmix64 from a fixed seed; the reader does not need it, so it is
// not part of the format).
var gear = func() (g [256]uint64) {
	x := uint64(0x9e3779b97f4a7c15)
	for i := range g {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
		z = (z ^ z>>27) * 0x94d049bb133111eb
		g[i] = z ^ z>>31
	}
	return g
}()
