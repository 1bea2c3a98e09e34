package tui

import (
	"time"
)

// Line is one log line as the dashboard keeps it: already sanitised for the
// terminal, with its service's display name.
type Line struct {
	Service string
	Source  string // the service, with the replica number when there are several
	Time    time.Time
	Text    string // safe to print: at most SGR colour sequences
	Plain   string // Text without escape sequences, lower-cased ASCII, for search and filter
}

// Ring is a bounded buffer of lines: once full, each new line replaces the
// oldest. Positions are absolute: the n-th line ever pushed has position n-1,
// so a position stays valid (or becomes detectably evicted) as lines arrive.
type Ring struct {
	buf   []Line
	start int    // index in buf of the oldest line
	n     int    // lines held
	total uint64 // lines ever pushed
}

// NewRing returns a ring holding at most capacity lines (at least 1).
func NewRing(capacity int) *Ring {
	return &Ring{buf: make([]Line, 0, max(1, capacity))}
}

// Push appends a line, evicting the oldest when full.
func (r *Ring) Push(l Line) {
	r.total++
	if r.n < cap(r.buf) {
		r.buf = append(r.buf, l)
		r.n++
		return
	}
	r.buf[r.start] = l
	r.start = (r.start + 1) % len(r.buf)
}

// Len is the number of lines held.
func (r *Ring) Len() int { return r.n }

// Cap is the most lines the ring holds.
func (r *Ring) Cap() int { return cap(r.buf) }

// Total is the number of lines ever pushed.
func (r *Ring) Total() uint64 { return r.total }

// First is the absolute position of the oldest line held.
func (r *Ring) First() uint64 { return r.total - uint64(r.n) }

// At returns the i-th line held, 0 being the oldest.
func (r *Ring) At(i int) Line { return r.buf[(r.start+i)%len(r.buf)] }

// Abs returns the line at absolute position pos, if still held.
func (r *Ring) Abs(pos uint64) (Line, bool) {
	if pos < r.First() || pos >= r.total {
		return Line{}, false
	}
	return r.At(int(pos - r.First())), true
}

// Resize changes the capacity, keeping the newest lines.
func (r *Ring) Resize(capacity int) {
	capacity = max(1, capacity)
	keep := min(r.n, capacity)
	buf := make([]Line, 0, capacity)
	for i := r.n - keep; i < r.n; i++ {
		buf = append(buf, r.At(i))
	}
	r.buf, r.start, r.n = buf, 0, keep
}
