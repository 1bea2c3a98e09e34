package bundle

import (
	"bytes"
	"crypto/rand"
	"errors"
	"testing"
)

type recorder struct {
	bytes.Buffer
	failAfter int // fail writes once this many bytes are in
	closed    int
}

var errFull = errors.New("no space left")

func (r *recorder) Write(p []byte) (int, error) {
	if r.failAfter > 0 && r.Len()+len(p) > r.failAfter {
		return 0, errFull
	}
	return r.Buffer.Write(p)
}

func (r *recorder) Close() error { r.closed++; return nil }

func TestAsyncWriter(t *testing.T) {
	data := random(t, 5*asyncBufSize+123)
	for _, size := range []int{1, 1000, asyncBufSize, 3 * asyncBufSize} {
		r := &recorder{}
		a := newAsyncWriter(r)
		for p := data; len(p) > 0; p = p[min(len(p), size):] {
			if _, err := a.Write(p[:min(len(p), size)]); err != nil {
				t.Fatal(err)
			}
		}
		if err := a.Close(); err != nil || !bytes.Equal(r.Bytes(), data) || r.closed != 1 {
			t.Fatalf("writes of %d: %v, %d of %d bytes, closed %d times", size, err, r.Len(), len(data), r.closed)
		}
		if err := a.Close(); err != nil || r.closed != 1 {
			t.Fatalf("a second Close: %v, closed %d times", err, r.closed)
		}
	}
}

// A failed write stops the writer early: a later Write returns it, long
// before everything is written, and so does Close.
func TestAsyncWriterFails(t *testing.T) {
	r := &recorder{failAfter: 2 * asyncBufSize}
	a := newAsyncWriter(r)
	chunk := make([]byte, 64<<10)
	var err error
	written := 0
	for written < 100*asyncBufSize && err == nil {
		_, err = a.Write(chunk)
		written += len(chunk)
	}
	if !errors.Is(err, errFull) || written > (asyncBufs+5)*asyncBufSize {
		t.Fatalf("got %v after %d bytes", err, written)
	}
	if err := a.Close(); !errors.Is(err, errFull) || r.closed != 1 {
		t.Fatalf("Close: %v, closed %d times", err, r.closed)
	}
}

func random(t *testing.T, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}
