package receiver

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// The receiver's protocol. Every message is a frame: one kind byte, the
// payload's length as 4 bytes big-endian, the payload. The host sends a
// batch as frameBatch (the container paths to delete, NUL-separated), the
// tar stream cut into frameTar frames, and frameEnd, or frameAbort when it
// could not produce the tar stream; the receiver answers every batch with
// frameOK or frameFail. Whatever goes wrong while applying, the receiver
// reads on to the end of the batch, so the next batch starts in step.
//
// Between batches the host may also ask (protocol 2): frameList (a
// directory: the receiver answers its tree's entries, size, time and mode,
// see appendStats) and frameHash (paths: the receiver answers their
// SHA-256, see appendSums), each answered by frameData frames and then
// frameOK or frameFail; and frameFollow (see follow.go), after which the
// stream only carries the receiver's batches of the files that changed in
// the container, back to the host, until the host's side ends.
const (
	frameBatch  = 'B' // host: a batch begins; payload: the deletes
	frameTar    = 'T' // host: the next bytes of the batch's tar stream
	frameEnd    = 'E' // host: the batch is complete
	frameAbort  = 'X' // host: the batch is abandoned; payload: why
	frameList   = 'L' // host: list a directory's tree; payload: the container path
	frameHash   = 'Q' // host: hash files; payload: the container paths
	frameFollow = 'W' // host: send back what changes; payload: a FollowRequest (JSON)
	frameData   = 'R' // receiver: the next bytes of an answer to frameList or frameHash
	frameHello  = 'H' // receiver: ready; payload: receiveProtocol
	frameOK     = 'K' // receiver: the batch is applied
	frameFail   = 'F' // receiver: the batch failed; payload: the error
	frameFull   = 'N' // receiver: the batch failed for want of space (ENOSPC); payload: the error
)

// receiveProtocol is the receiver's hello; a receiver that says anything
// else is not used.
const receiveProtocol = "devstack-receive 2"

const (
	maxFrame   = 16 << 20 // larger payloads are a protocol error
	chunkBytes = 64 << 10 // tar bytes per frameTar
)

// writeFrame writes one frame.
func writeFrame(w io.Writer, kind byte, payload []byte) error {
	var hdr [5]byte
	hdr[0] = kind
	binary.BigEndian.PutUint32(hdr[1:], uint32(len(payload)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(payload)
	return err
}

// readHeader reads a frame's kind and payload length.
func readHeader(r io.Reader) (byte, int, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, 0, err
	}
	n := binary.BigEndian.Uint32(hdr[1:])
	if n > maxFrame {
		return 0, 0, fmt.Errorf("%w: frame %q of %d bytes", ErrProtocol, hdr[0], n)
	}
	return hdr[0], int(n), nil
}

// readFrame reads one whole frame; io.EOF only before its first byte.
func readFrame(r io.Reader) (byte, []byte, error) {
	kind, n, err := readHeader(r)
	if err != nil {
		return 0, nil, err
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(r, payload); err != nil {
		return 0, nil, unexpected(err)
	}
	return kind, payload, nil
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// joinPaths and splitPaths make frameBatch's payload.
func joinPaths(paths []string) []byte {
	var b bytes.Buffer
	for i, p := range paths {
		if i > 0 {
			b.WriteByte(0)
		}
		b.WriteString(p)
	}
	return b.Bytes()
}

func splitPaths(payload []byte) []string {
	if len(payload) == 0 {
		return nil
	}
	var out []string
	for _, p := range bytes.Split(payload, []byte{0}) {
		out = append(out, string(p))
	}
	return out
}

// chunkWriter cuts what is written into frameTar frames of up to
// chunkBytes. Put a bufio.Writer of chunkBytes in front of it so that tar's
// 512-byte headers do not each become a frame. err keeps the first write
// error of the underlying stream.
type chunkWriter struct {
	w   io.Writer
	err error
}

func (c *chunkWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 && c.err == nil {
		k := min(len(p), chunkBytes)
		c.err = writeFrame(c.w, frameTar, p[:k])
		if c.err == nil {
			n += k
			p = p[k:]
		}
	}
	return n, c.err
}

// abortError is the host's reason for abandoning a batch.
type abortError struct{ msg string }

func (e abortError) Error() string { return "batch abandoned by devstack: " + e.msg }

// tarStream reads one batch's tar stream: the payloads of its frameTar
// frames, up to frameEnd (io.EOF) or frameAbort (an abortError). Any other
// error means the stream is out of step for good (fatal).
type tarStream struct {
	r    *bufio.Reader
	left int   // payload bytes left in the current frame
	err  error // sticky, once the batch ended or the stream failed
}

func (s *tarStream) Read(p []byte) (int, error) {
	for s.left == 0 {
		if s.err != nil {
			return 0, s.err
		}
		s.next()
	}
	if len(p) > s.left {
		p = p[:s.left]
	}
	n, err := s.r.Read(p)
	s.left -= n
	if err != nil {
		s.err, s.left = unexpected(err), 0
		return n, s.err
	}
	return n, nil
}

// next reads the next frame header of the batch.
func (s *tarStream) next() {
	kind, n, err := readHeader(s.r)
	switch {
	case err != nil:
		s.err = unexpected(err)
	case kind == frameTar:
		s.left = n
	case kind == frameEnd && n == 0:
		s.err = io.EOF
	case kind == frameAbort:
		msg := make([]byte, n)
		if _, err := io.ReadFull(s.r, msg); err != nil {
			s.err = unexpected(err)
			return
		}
		s.err = abortError{string(msg)}
	default:
		s.err = fmt.Errorf("%w: frame %q within a batch", ErrProtocol, kind)
	}
}

// finish reads to the end of the batch; it returns the abortError, or the
// fatal error, that ended it, nil at frameEnd.
func (s *tarStream) finish() error {
	_, err := io.Copy(io.Discard, s)
	return err
}

// fatal: the stream cannot go on after the batch ended with err.
func fatal(err error) bool {
	var abort abortError
	return err != nil && !errors.As(err, &abort)
}
