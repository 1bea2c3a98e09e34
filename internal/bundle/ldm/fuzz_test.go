package ldm

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzDecode: any input decodes or fails with ErrCorrupt or
// ErrNewerVersion, without a panic, within bounded output.
func FuzzDecode(f *testing.F) {
	f.Add(encode(f, []byte("hello, hello, hello"), 0, 7))
	a := random(5, 300)
	f.Add(encode(f, bytes.Repeat(a, 5), 0, 64))
	f.Add([]byte("dsldm\x00\x01\x10\x00\x40\x01"))
	f.Fuzz(func(t *testing.T, in []byte) {
		r, err := NewReader(bytes.NewReader(in))
		if err == nil {
			_, err = io.CopyN(io.Discard, r, 64<<20)
			if err == nil {
				return // more than 64 MiB of output: long matches, fine
			}
		}
		if err != io.EOF && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrNewerVersion) {
			t.Fatalf("%v", err)
		}
	})
}

// FuzzRoundTrip: whatever is written, in whatever pieces, reads back.
func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte("abc"), uint8(3), uint16(100))
	f.Add(random(6, 2000), uint8(1), uint16(7))
	f.Fuzz(func(t *testing.T, seed []byte, reps uint8, write uint16) {
		data := bytes.Repeat(seed, int(reps%32)+1)
		enc := encode(t, data, minWindowLog, int(write)+1)
		got, err := decode(enc)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%d bytes: %v", len(data), err)
		}
	})
}

// FuzzDecodeBudget: under a limit, any input decodes to at most the
// limit's bytes or fails with one of the package's errors: a record
// claiming more is refused at its head.
func FuzzDecodeBudget(f *testing.F) {
	f.Add(encode(f, []byte("hello, hello, hello"), 0, 7), uint32(10))
	f.Add(encode(f, bytes.Repeat(random(5, 300), 5), 0, 64), uint32(1<<20))
	f.Add(append([]byte("dsldm\x00\x01\x1a"), 1, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 'x', 0, 0), uint32(4096))
	f.Fuzz(func(t *testing.T, in []byte, limit uint32) {
		budget := int64(limit%(4<<20)) + 1
		r, err := NewReader(bytes.NewReader(in))
		if err == nil {
			r.Limit(budget)
			var n int64
			n, err = io.Copy(io.Discard, r)
			if n > budget {
				t.Fatalf("%d bytes decoded under a limit of %d", n, budget)
			}
			if err == nil {
				return
			}
		}
		if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrNewerVersion) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("%v", err)
		}
	})
}
