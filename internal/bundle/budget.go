package bundle

import (
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/devstack/devstack/internal/bundle/ldm"
	"github.com/devstack/devstack/internal/termsafe"
	"github.com/docker/go-units"
)

// What an archive may expand to, so that a few bytes claiming gigabytes
// (one long-distance match record declares any length, zstd repeats a
// block) are refused before they fill the engine's or $TMPDIR's disk:
// maxExpansion times the archive's size (its compressed bytes read so far
// when the size is not known, from standard input), and minBudget in any
// case. Image exports compress some 2 to 10 times, deduplicated layers
// some more.
const (
	maxExpansion = 1000
	minBudget    = 64 << 20
)

// sized is an archive stream of known size (a file's).
type sized struct {
	io.Reader
	size int64
}

// budgetFor is the most an archive of size bytes may expand to; 0 when
// the size is not known.
func budgetFor(size int64) int64 {
	if size <= 0 {
		return 0
	}
	return max(minBudget, maxExpansion*size)
}

// guard counts the archive's compressed bytes (in) and what they expand
// to, and refuses to read past the budget.
type guard struct {
	r        io.Reader // the decompressed tar stream
	in       *countingReader
	size     int64 // the archive's, 0 when not known
	out      int64
	tooLarge bool
}

// countingReader counts what is read through it. The zstd decoder reads
// on a goroutine of its own while the guard asks for the count: atomic.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func (g *guard) budget() int64 {
	if g.size > 0 {
		return budgetFor(g.size)
	}
	return max(minBudget, maxExpansion*g.in.n.Load())
}

func (g *guard) Read(p []byte) (int, error) {
	if g.tooLarge {
		return 0, g.over(fmt.Sprintf("%s expanded", units.BytesSize(float64(g.out))))
	}
	n, err := g.r.Read(p)
	g.out += int64(n)
	if g.out > g.budget() {
		g.tooLarge = true
		n -= int(g.out - g.budget())
		g.out = g.budget()
		return max(n, 0), g.over(fmt.Sprintf("%s expanded", units.BytesSize(float64(g.out))))
	}
	if errors.Is(err, ldm.ErrTooLarge) {
		return n, g.over(err.Error())
	}
	return n, err
}

// over says what the bound is that what exceeds it.
func (g *guard) over(what string) error {
	if g.size > 0 {
		return fmt.Errorf("%w: %s: the archive's %s may expand %d times, to %s at most (a decompression bomb, or damage)",
			ErrTooLarge, what, units.BytesSize(float64(g.size)), maxExpansion, units.BytesSize(float64(g.budget())))
	}
	return fmt.Errorf("%w: %s from %s read: more than %d times that, and over %s (a decompression bomb, or damage)",
		ErrTooLarge, what, units.BytesSize(float64(g.in.n.Load())), maxExpansion, units.BytesSize(minBudget))
}

// checkDeclared refuses, at its header, a member declaring more than the
// archive may still expand to (known only for an archive of known size).
func (g *guard) checkDeclared(name string, size int64) error {
	if g.size > 0 && size > g.budget()-g.out {
		return g.over(fmt.Sprintf("member %s declares %s", termsafe.Name(name), units.BytesSize(float64(size))))
	}
	return nil
}
