package ldm

import (
	"bufio"
	"encoding/binary"
	"io"
)

// Writer encodes what is written to it onto an underlying writer. It is
// not safe for concurrent use.
type Writer struct {
	out    *bufio.Writer
	window int64
	// hist holds the input: the window's history, then the bytes not yet
	// hashed (from cur), then lookahead.
	hist history
	cur  int64 // next position to hash
	lit  int64 // start of the literals not yet written
	skip int64 // end of the last match: positions before it are only remembered
	h    uint64
	// table holds bucketSize entries per bucket, newest first.
	table   []entry
	hashLog int
	err     error
}

type entry struct {
	pos   uint32 // absolute position, low 32 bits (see match)
	check uint32 // low bits of the rolling hash there
}

// NewWriter writes the header and returns a Writer keeping 2^windowLog
// bytes of history (DefaultWindowLog when 0).
func NewWriter(w io.Writer, windowLog int) *Writer {
	if windowLog == 0 {
		windowLog = DefaultWindowLog
	}
	windowLog = min(max(windowLog, minWindowLog), maxWindowLog)
	// Twice as many buckets as positions sampled within the window.
	hl := windowLog - rateLog + 1
	e := &Writer{out: bufio.NewWriterSize(w, 256<<10), window: 1 << windowLog, hashLog: hl, table: make([]entry, bucketSize<<hl)}
	_, e.err = e.out.Write(append([]byte(magic), version, byte(windowLog)))
	return e
}

// Write takes p in; what has a chunk of lookahead behind it is encoded.
func (e *Writer) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 && e.err == nil {
		k := min(len(p), chunk)
		e.hist.write(p[:k])
		p = p[k:]
		if end := e.hist.end(); end-e.cur >= 2*chunk {
			e.encode(end - chunk)
		}
	}
	if e.err != nil {
		return 0, e.err
	}
	return n, nil
}

// Close encodes the rest, ends the stream and flushes it. It does not
// close the underlying writer.
func (e *Writer) Close() error {
	if e.err != nil {
		return e.err
	}
	e.encode(e.hist.end())
	e.record(0, 0, 0, 0)
	if e.err == nil {
		e.err = e.out.Flush()
	}
	if e.err != nil {
		return e.err
	}
	e.err = io.ErrClosedPipe
	e.hist.reset()
	e.table = nil
	return nil
}

// encode hashes up to limit, replaces the repeats it finds and writes
// what is settled: everything before limit, or before the end of a match
// reaching past it.
func (e *Writer) encode(limit int64) {
	const splitMask uint64 = (1<<rateLog - 1) << (64 - rateLog)
	h := e.h
	for e.cur < limit {
		start := e.cur
		seg := e.hist.at(start)
		seg = seg[:min(int64(len(seg)), limit-start)]
		for i, b := range seg {
			h = h<<1 + gear[b]
			if h&splitMask != 0 {
				continue
			}
			pos := start + int64(i) + 1 // the hashed span is [pos-minMatch, pos)
			if pos-minMatch < e.hist.base {
				continue
			}
			if pos > e.skip {
				e.match(pos, h)
			}
			e.remember(pos, h)
		}
		e.cur += int64(len(seg))
	}
	e.h = h
	if e.lit < limit {
		e.record(e.lit, limit, 0, 0)
		e.lit = limit
	}
	e.hist.drop(min(e.cur-e.window, e.lit))
}

// remember puts pos first in its bucket.
func (e *Writer) remember(pos int64, h uint64) {
	b := e.bucket(h)
	copy(b[1:], b[:bucketSize-1])
	b[0] = entry{pos: uint32(pos), check: uint32(h)}
}

func (e *Writer) bucket(h uint64) []entry {
	i := int(h>>(64-rateLog-e.hashLog)) & (1<<e.hashLog - 1) * bucketSize
	return e.table[i : i+bucketSize]
}

// match looks for the longest repeat through pos among the bucket's
// entries and, if there is one of minMatch bytes or more, writes the
// literals before it and the match.
func (e *Writer) match(pos int64, h uint64) {
	var back, fwd, dist int64
	end := e.hist.end()
	for _, c := range e.bucket(h) {
		if c.check != uint32(h) {
			continue
		}
		// pos and the entry differ by less than 2^32 within the window;
		// an older entry that aliases is refused by the comparison.
		d := int64(uint32(pos) - c.pos)
		src := pos - d
		if d == 0 || d > e.window || src-minMatch < e.hist.base {
			continue
		}
		f := e.hist.prefix(pos, src, end-pos)
		b := e.hist.suffix(pos, src, min(pos-e.lit, src-e.hist.base))
		if b+f > back+fwd {
			back, fwd, dist = b, f, d
		}
	}
	if back+fwd < minMatch {
		return
	}
	e.record(e.lit, pos-back, back+fwd, dist)
	e.lit, e.skip = pos+fwd, pos+fwd
}

// record writes one record: the literals from a to b, then the match; no
// literal and no match is the end.
func (e *Writer) record(a, b, mlen, dist int64) {
	if e.err != nil {
		return
	}
	var v [3 * binary.MaxVarintLen64]byte
	n := binary.PutUvarint(v[:], uint64(b-a))
	n += binary.PutUvarint(v[n:], uint64(mlen))
	if mlen > 0 {
		n += binary.PutUvarint(v[n:], uint64(dist))
	}
	if _, e.err = e.out.Write(v[:n]); e.err == nil {
		e.err = e.hist.writeTo(e.out, a, b)
	}
}
