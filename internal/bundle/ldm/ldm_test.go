package ldm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

func random(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func encode(t testing.TB, data []byte, windowLog, writeSize int) []byte {
	t.Helper()
	var out bytes.Buffer
	w := NewWriter(&out, windowLog)
	for p := data; len(p) > 0; {
		k := min(len(p), writeSize)
		if _, err := w.Write(p[:k]); err != nil {
			t.Fatal(err)
		}
		p = p[k:]
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func decode(enc []byte) ([]byte, error) {
	r, err := NewReader(bytes.NewReader(enc))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func TestRoundTrip(t *testing.T) {
	a, b := random(1, 3<<20), random(2, 5<<20)
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	for _, tc := range []struct {
		name      string
		data      []byte
		windowLog int
		// most is the largest encoding that proves the repeats were found.
		most int
	}{
		{"empty", nil, 0, HeaderLen + 2},
		{"short", []byte("hello"), 0, HeaderLen + 9},
		{"random", a, 0, len(a) + 64},
		{"a repeat 5 MiB back", cat(a, b, a), 0, len(a) + len(b) + 1024},
		{"a repeat beyond the window is kept", cat(a, b, a), 22, 2*len(a) + len(b) + 1024},
		{"a 1 KiB block 9000 times: an overlapping match", bytes.Repeat(random(4, 1024), 9000), 0, 4096},
		// No position of a short period is sampled: zstd's own window
		// has these.
		{"zeros", make([]byte, 9<<20), 0, 0},
		{"a repeat with an edit in it", cat(a, b, a[:1<<20], []byte("x"), a[1<<20+1:]), 0, len(a) + len(b) + 2048},
		{"a short period", []byte(strings.Repeat("the quick brown fox jumps over the lazy dog\n", 100000)), 0, 0},
	} {
		for _, ws := range []int{1, 4096, 32 << 10, 3 << 20} {
			if ws == 1 && len(tc.data) > 1<<20 {
				continue
			}
			enc := encode(t, tc.data, tc.windowLog, ws)
			got, err := decode(enc)
			if err != nil {
				t.Fatalf("%s, writes of %d: %v", tc.name, ws, err)
			}
			if !bytes.Equal(got, tc.data) {
				t.Fatalf("%s, writes of %d: decoded %d bytes differ from the %d written", tc.name, ws, len(got), len(tc.data))
			}
			if tc.most > 0 && len(enc) > tc.most {
				t.Errorf("%s, writes of %d: %d bytes encoded, want at most %d", tc.name, ws, len(enc), tc.most)
			}
		}
	}
}

func TestDamaged(t *testing.T) {
	a := random(3, 1<<20)
	good := encode(t, append(append([]byte{}, a...), a...), 0, 1<<20)
	for _, tc := range []struct {
		name string
		enc  []byte
		want error
	}{
		{"no header", []byte("dsl"), ErrCorrupt},
		{"not this format", []byte("PK\x03\x04 and more"), ErrCorrupt},
		{"newer version", []byte("dsldm\x00\x02\x1a"), ErrNewerVersion},
		{"window too large", []byte("dsldm\x00\x01\x40\x00\x00"), ErrCorrupt},
		{"a window over 128 MiB", []byte("dsldm\x00\x01\x1c\x00\x00"), ErrCorrupt},
		{"truncated", good[:len(good)/2], ErrCorrupt},
		{"no end record", good[:len(good)-2], ErrCorrupt},
		{"data after the end", append(append([]byte{}, good...), 0), ErrCorrupt},
		{"a match before the start", append([]byte("dsldm\x00\x01\x1a"), 1, 64, 2, 'x', 0, 0), ErrCorrupt},
		{"a match beyond the window", append(append([]byte("dsldm\x00\x01\x10"), 0x80, 0x80, 0x08, 64, 0x81, 0x80, 0x04), make([]byte, 1<<17)...), ErrCorrupt},
	} {
		_, err := decode(tc.enc)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
}

// Read fills the buffer it is given, however short the records are.
func TestReadFills(t *testing.T) {
	data := bytes.Repeat(append(random(7, 100), random(8, 200)...), 3000)
	r, err := NewReader(bytes.NewReader(encode(t, data, 0, 1000)))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 32<<10)
	for total := 0; total < len(data); {
		n, err := r.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		if n != min(len(buf), len(data)-total) {
			t.Fatalf("Read at %d returned %d bytes", total, n)
		}
		total += n
	}
}

// A record that would take the output over the reader's limit is refused
// at its head, before any of it is decoded.
func TestLimit(t *testing.T) {
	bomb := binary.AppendUvarint(append([]byte("dsldm\x00\x01\x1a"), 1), 3<<30) // 1 literal, a 3 GiB match
	bomb = append(bomb, 1, 'x', 0, 0)
	r, err := NewReader(bytes.NewReader(bomb))
	if err != nil {
		t.Fatal(err)
	}
	r.Limit(1 << 20)
	n, err := io.Copy(io.Discard, r)
	if !errors.Is(err, ErrTooLarge) || n != 0 || !strings.Contains(err.Error(), "3221225473") {
		t.Errorf("got %d bytes, %v", n, err)
	}
	good := encode(t, bytes.Repeat([]byte("abc"), 1000), 0, 100)
	r, _ = NewReader(bytes.NewReader(good))
	r.Limit(3000)
	if n, err := io.Copy(io.Discard, r); err != nil || n != 3000 {
		t.Errorf("within the limit: %d bytes, %v", n, err)
	}
}
