package ldm

import (
	"io"
)

// blockLog sizes history's blocks: 1 MiB.
const blockLog = 20

// history is a stream's bytes from base to end in blocks of 1<<blockLog,
// all full but the last. Dropping old bytes frees whole blocks for reuse;
// nothing is ever moved.
type history struct {
	blocks [][]byte
	base   int64 // the position of blocks[0][0]
	free   [][]byte
}

func (h *history) end() int64 {
	if len(h.blocks) == 0 {
		return h.base
	}
	return h.base + int64(len(h.blocks)-1)<<blockLog + int64(len(h.blocks[len(h.blocks)-1]))
}

// tail is the last block with room, added if needed.
func (h *history) tail() []byte {
	if n := len(h.blocks); n > 0 && len(h.blocks[n-1]) < 1<<blockLog {
		return h.blocks[n-1]
	}
	var b []byte
	if n := len(h.free); n > 0 {
		b, h.free = h.free[n-1][:0], h.free[:n-1]
	} else {
		b = make([]byte, 0, 1<<blockLog)
	}
	h.blocks = append(h.blocks, b)
	return b
}

func (h *history) setTail(b []byte) { h.blocks[len(h.blocks)-1] = b }

// write appends p.
func (h *history) write(p []byte) {
	for len(p) > 0 {
		t := h.tail()
		k := min(len(p), cap(t)-len(t))
		h.setTail(append(t, p[:k]...))
		p = p[k:]
	}
}

// readFrom appends n bytes read from r, or fewer and the error.
func (h *history) readFrom(r io.Reader, n int64) error {
	for n > 0 {
		t := h.tail()
		k := int(min(n, int64(cap(t)-len(t))))
		got, err := io.ReadFull(r, t[len(t):len(t)+k])
		h.setTail(t[:len(t)+got])
		if err != nil {
			return err
		}
		n -= int64(k)
	}
	return nil
}

// copyFrom appends n bytes from pos on, which may reach into what it
// appends (an overlapping match repeats the last end-pos bytes).
func (h *history) copyFrom(pos, n int64) {
	for n > 0 {
		s := h.at(pos)
		k := min(int64(len(s)), n)
		h.write(s[:k])
		pos, n = pos+k, n-k
	}
}

// at is the bytes from pos to the end of its block (or of the stream).
func (h *history) at(pos int64) []byte {
	off := pos - h.base
	return h.blocks[off>>blockLog][off&(1<<blockLog-1):]
}

// before is the bytes from the start of pos's block (or base) to pos.
func (h *history) before(pos int64) []byte {
	off := pos - h.base
	i, j := off>>blockLog, off&(1<<blockLog-1)
	if j == 0 {
		i, j = i-1, 1<<blockLog
	}
	return h.blocks[i][:j]
}

// drop frees the blocks wholly before pos.
func (h *history) drop(pos int64) {
	for len(h.blocks) > 1 && pos-h.base >= 1<<blockLog {
		h.free = append(h.free, h.blocks[0])
		h.blocks = h.blocks[1:]
		h.base += 1 << blockLog
	}
}

// prefix is how many of the n bytes from a on equal those from b on.
func (h *history) prefix(a, b, n int64) int64 {
	var done int64
	for done < n {
		sa, sb := h.at(a+done), h.at(b+done)
		k := int(min(int64(len(sa)), int64(len(sb)), n-done))
		c := commonPrefix(sa[:k], sb[:k])
		done += int64(c)
		if c < k {
			break
		}
	}
	return done
}

// suffix is how many of the n bytes before a equal those before b.
func (h *history) suffix(a, b, n int64) int64 {
	var done int64
	for done < n {
		sa, sb := h.before(a-done), h.before(b-done)
		k := int(min(int64(len(sa)), int64(len(sb)), n-done))
		c := commonSuffix(sa[len(sa)-k:], sb[len(sb)-k:])
		done += int64(c)
		if c < k {
			break
		}
	}
	return done
}

// writeTo writes the bytes from a to b.
func (h *history) writeTo(w io.Writer, a, b int64) error {
	for a < b {
		s := h.at(a)
		s = s[:min(int64(len(s)), b-a)]
		if _, err := w.Write(s); err != nil {
			return err
		}
		a += int64(len(s))
	}
	return nil
}

func (h *history) reset() { h.blocks, h.free = nil, nil }
