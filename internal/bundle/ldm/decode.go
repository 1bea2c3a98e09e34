package ldm

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Reader decodes a stream written by Writer.
type Reader struct {
	in     *bufio.Reader
	window int64
	// hist holds the output: the window's history, then what Read has not
	// returned yet (from ret).
	hist history
	ret  int64
	// the record being decoded
	litLeft, matchLeft, dist int64
	err                      error
	limit                    int64 // 0: none
}

// NewReader reads the header from r.
func NewReader(r io.Reader) (*Reader, error) {
	in := bufio.NewReaderSize(source{r}, 256<<10)
	h := make([]byte, HeaderLen)
	if _, err := io.ReadFull(in, h); err != nil {
		return nil, corrupt("header", err)
	}
	wl, err := checkHeader(h)
	if err != nil {
		return nil, err
	}
	return &Reader{in: in, window: 1 << wl}, nil
}

// Read fills p with decoded bytes, as far as the stream goes: a reader
// that returned short pieces would have a pipe or a socket after it make
// a write for each.
func (d *Reader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if d.ret == d.hist.end() {
			if d.err != nil {
				break
			}
			d.hist.drop(min(d.ret, d.ret-d.window))
			d.err = d.step()
			continue
		}
		k := copy(p[n:], d.hist.at(d.ret))
		d.ret += int64(k)
		n += k
	}
	if n > 0 {
		return n, nil
	}
	return 0, d.err
}

// step decodes up to a chunk: literals, a match, or the next record's
// head. It returns io.EOF after the end record.
func (d *Reader) step() error {
	switch {
	case d.litLeft > 0:
		k := min(d.litLeft, chunk)
		d.litLeft -= k
		if err := d.hist.readFrom(d.in, k); err != nil {
			return corrupt("literals", err)
		}
		return nil
	case d.matchLeft > 0:
		k := min(d.matchLeft, chunk)
		d.matchLeft -= k
		d.hist.copyFrom(d.hist.end()-d.dist, k)
		return nil
	}
	return d.head()
}

// head reads a record's lengths and checks the match against what will
// have been decoded before it.
func (d *Reader) head() error {
	lits, err := binary.ReadUvarint(d.in)
	if err != nil {
		if err == io.EOF {
			return fmt.Errorf("%w: truncated: no end record", ErrCorrupt)
		}
		return corrupt("record", err)
	}
	mlen, err := binary.ReadUvarint(d.in)
	if err != nil {
		return corrupt("record", err)
	}
	if lits == 0 && mlen == 0 {
		switch _, err := d.in.ReadByte(); {
		case err == nil:
			return fmt.Errorf("%w: data after the end", ErrCorrupt)
		case err != io.EOF:
			return corrupt("end", err)
		}
		return io.EOF
	}
	if lits > 1<<60 || mlen > 1<<60 {
		return fmt.Errorf("%w: a record of %d+%d bytes", ErrCorrupt, lits, mlen)
	}
	if end := d.hist.end(); d.limit > 0 && int64(lits+mlen) > d.limit-end {
		return fmt.Errorf("%w: a record of %d bytes at %d, over the limit of %d", ErrTooLarge, lits+mlen, end, d.limit)
	}
	d.litLeft, d.matchLeft = int64(lits), int64(mlen)
	if mlen == 0 {
		return nil
	}
	dist, err := binary.ReadUvarint(d.in)
	if err != nil {
		return corrupt("match", err)
	}
	at := d.hist.end() + int64(lits)
	if dist == 0 || dist > uint64(d.window) || dist > uint64(at) {
		return fmt.Errorf("%w: a match %d bytes back at %d", ErrCorrupt, dist, at)
	}
	d.dist = int64(dist)
	return nil
}

// corrupt is a damaged record; an error of the reader underneath (a
// damaged compressed stream) is its own, returned as it is.
func corrupt(what string, err error) error {
	var se sourceError
	if errors.As(err, &se) {
		return se.err
	}
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("%w: %s: %v", ErrCorrupt, what, err)
}

// source marks the errors of the reader underneath, other than its end.
type source struct{ r io.Reader }

func (s source) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		err = sourceError{err}
	}
	return n, err
}

type sourceError struct{ err error }

func (e sourceError) Error() string { return e.err.Error() }
func (e sourceError) Unwrap() error { return e.err }

// Limit bounds the output: a record that would take it over n bytes is
// refused at its head, before any of it is decoded.
func (d *Reader) Limit(n int64) { d.limit = n }
