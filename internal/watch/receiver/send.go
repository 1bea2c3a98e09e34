package receiver

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// The host's side of the protocol (package inject runs it over an exec's
// connection).

// BufferSize is the size of the bufio.Writer to hand WriteBatch: a whole
// tar frame with its header.
const BufferSize = chunkBytes + 5

// ReadHello reads the receiver's first frame; an error unless it is the
// hello of this protocol.
func ReadHello(r io.Reader) error {
	kind, payload, err := readFrame(r)
	if err == nil && (kind != frameHello || string(payload) != receiveProtocol) {
		err = fmt.Errorf("%w: hello %q %q", ErrProtocol, kind, payload)
	}
	return err
}

// WriteBatch sends one batch; body writes its tar stream. A failure of
// body (a host file unreadable) abandons the batch and is returned as it
// is; a failure of w wraps ErrBroken.
func WriteBatch(w *bufio.Writer, deletes []string, body func(io.Writer) error) error {
	if err := writeFrame(w, frameBatch, joinPaths(deletes)); err != nil {
		return fmt.Errorf("%w: %v", ErrBroken, err)
	}
	cw := &chunkWriter{w: w}
	bw := bufio.NewWriterSize(cw, chunkBytes)
	err := body(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cw.err != nil {
		return fmt.Errorf("%w: %v", ErrBroken, cw.err)
	}
	var end error
	if err != nil {
		end = writeFrame(w, frameAbort, []byte(err.Error()))
	} else {
		end = writeFrame(w, frameEnd, nil)
	}
	if end == nil {
		end = w.Flush()
	}
	if end != nil {
		return fmt.Errorf("%w: %v", ErrBroken, end)
	}
	return err
}

// ReadAck reads the receiver's answer to a batch.
func ReadAck(r io.Reader) error {
	kind, payload, err := readFrame(r)
	switch {
	case err != nil:
		return fmt.Errorf("%w: %v", ErrBroken, err)
	case kind == frameOK:
		return nil
	case kind == frameFail:
		return errors.New(string(payload))
	case kind == frameFull:
		return fmt.Errorf("%w (nothing written): %s", ErrNoSpace, payload)
	}
	return fmt.Errorf("%w: %v: answer %q", ErrBroken, ErrProtocol, kind)
}
