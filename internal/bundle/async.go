package bundle

import (
	"io"
)

// asyncWriter hands what is written to its writer on a goroutine of its
// own, a few buffers behind, so the long-distance match layer and the
// compressor work alongside the reading of the engine's export instead of
// after it. A failed write is returned by the next Write.
type asyncWriter struct {
	w           io.WriteCloser
	queue, free chan []byte
	failed      chan struct{} // closed once err is set
	done        chan struct{} // closed when the goroutine has returned
	err         error
	buf         []byte
	closed      bool
}

const asyncBufSize, asyncBufs = 1 << 20, 4

func newAsyncWriter(w io.WriteCloser) *asyncWriter {
	a := &asyncWriter{w: w, queue: make(chan []byte, asyncBufs), free: make(chan []byte, asyncBufs+1),
		failed: make(chan struct{}), done: make(chan struct{})}
	for range asyncBufs + 1 {
		a.free <- make([]byte, 0, asyncBufSize)
	}
	go a.run()
	return a
}

func (a *asyncWriter) run() {
	defer close(a.done)
	for b := range a.queue {
		if a.err == nil {
			if _, err := a.w.Write(b); err != nil {
				a.err = err
				close(a.failed)
			}
		}
		a.free <- b[:0]
	}
}

func (a *asyncWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if a.buf == nil {
			select { // a failure first: select picks at random among ready cases
			case <-a.failed:
				return 0, a.err
			default:
			}
			select {
			case a.buf = <-a.free:
			case <-a.failed:
				return 0, a.err
			}
		}
		k := copy(a.buf[len(a.buf):cap(a.buf)], p)
		a.buf, p = a.buf[:len(a.buf)+k], p[k:]
		if len(a.buf) == cap(a.buf) {
			a.queue <- a.buf // never blocks: there are more buffers than the queue holds
			a.buf = nil
		}
	}
	return n, nil
}

// Close writes what is left, waits for the goroutine and closes the
// writer; the first error wins.
func (a *asyncWriter) Close() error {
	if a.closed {
		return a.err
	}
	a.closed = true
	if len(a.buf) > 0 {
		a.queue <- a.buf
	}
	close(a.queue)
	<-a.done
	if err := a.w.Close(); a.err == nil {
		a.err = err
	}
	return a.err
}
