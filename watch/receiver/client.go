package receiver

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/stdcopy"
)

// helloTimeout bounds the wait for a starting receiver's hello.
const helloTimeout = 10 * time.Second

// Conn is `devstack receive` running in a container: one exec whose stdin
// takes batches (see frame.go) and whose stdout answers them. The exec's
// connection lives as long as the receiver is used.
type Conn struct {
	id     string
	conn   types.HijackedResponse
	in     *bufio.Writer  // frames to the receiver's stdin
	acks   *bufio.Reader  // its stdout, demultiplexed
	pr     *io.PipeReader // under acks
	stderr *tailWriter
	done   chan struct{} // closed when the exec's output ended
}

// Start installs the receiver in the container unless it is there
// already, runs it and waits for its hello. The caller closes the Conn.
func Start(ctx context.Context, api Engine, id string, bin *Binary) (*Conn, error) {
	if err := install(ctx, api, id, bin); err != nil {
		return nil, err
	}
	return startExec(ctx, api, id, bin.dest)
}

// startExec runs the installed receiver at exe in the container and
// waits for its hello.
func startExec(ctx context.Context, api Engine, id, exe string) (*Conn, error) {
	created, err := api.ContainerExecCreate(ctx, id, container.ExecOptions{
		Cmd: []string{exe, "receive"}, User: "0",
		AttachStdin: true, AttachStdout: true, AttachStderr: true,
	})
	if err != nil {
		return nil, err
	}
	conn, err := api.ContainerExecAttach(ctx, created.ID, container.ExecAttachOptions{})
	if err != nil {
		return nil, err
	}
	rc := newConn(id, conn)
	if err := rc.hello(ctx); err != nil {
		rc.Close()
		return nil, err
	}
	return rc, nil
}

// newConn takes over the exec's connection; a goroutine demultiplexes
// its output until close.
func newConn(id string, conn types.HijackedResponse) *Conn {
	pr, pw := io.Pipe()
	rc := &Conn{id: id, conn: conn, in: bufio.NewWriterSize(conn.Conn, chunkBytes+5),
		acks: bufio.NewReader(pr), pr: pr, stderr: &tailWriter{}, done: make(chan struct{})}
	go func() {
		defer close(rc.done)
		_, err := stdcopy.StdCopy(pw, rc.stderr, conn.Reader)
		if err == nil {
			err = io.EOF
		}
		pw.CloseWithError(err)
	}()
	return rc
}

// hello waits for the receiver to say it is ready.
func (rc *Conn) hello(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, helloTimeout)
	defer cancel()
	stop := context.AfterFunc(ctx, rc.conn.Close)
	kind, payload, err := readFrame(rc.acks)
	stop()
	if err == nil && (kind != frameHello || string(payload) != receiveProtocol) {
		err = fmt.Errorf("%w: hello %q %q", ErrProtocol, kind, payload)
	}
	if err != nil {
		return rc.failure(ctx, err)
	}
	return nil
}

// Send applies one batch: the deletes (container paths), then the tar
// stream body writes: directories, files and symlinks named by their path
// below "/", with the owners and modes to give them. An error wrapping
// ErrBroken means the receiver is gone; any other one that the batch failed
// (a failure of body abandons it) and the receiver goes on.
func (rc *Conn) Send(ctx context.Context, deletes []string, body func(io.Writer) error) error {
	stop := context.AfterFunc(ctx, rc.conn.Close) // unblocks the writes and the ack
	defer stop()
	err := writeBatch(rc.in, deletes, body)
	if errors.Is(err, ErrBroken) {
		return rc.failure(ctx, err)
	}
	if ackErr := readAck(rc.acks); ackErr != nil && (err == nil || errors.Is(ackErr, ErrBroken)) {
		err = ackErr
	}
	if errors.Is(err, ErrBroken) {
		return rc.failure(ctx, err)
	}
	return err
}

// failure describes a broken stream with what the receiver said last.
func (rc *Conn) failure(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		err = fmt.Errorf("%w: %w", ErrBroken, ctx.Err())
	}
	if tail := rc.stderr.String(); tail != "" {
		return fmt.Errorf("receiver in %.12s: %w (its stderr: %s)", rc.id, err, tail)
	}
	return fmt.Errorf("receiver in %.12s: %w", rc.id, err)
}

// Close ends the receiver: its stdin ends, so it exits; after a second
// the connection is closed regardless. The output goroutine is gone when
// Close returns.
func (rc *Conn) Close() {
	_ = rc.conn.CloseWrite()
	select {
	case <-rc.done:
	case <-time.After(time.Second):
	}
	rc.conn.Close()
	rc.pr.CloseWithError(ErrBroken) // unblocks the goroutine's write of output nobody reads
	<-rc.done
}

// writeBatch sends one batch; body writes its tar stream. A failure of
// body (a host file unreadable) abandons the batch and is returned as it
// is; a failure of w wraps ErrBroken.
func writeBatch(w *bufio.Writer, deletes []string, body func(io.Writer) error) error {
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

// readAck reads the receiver's answer to a batch.
func readAck(r io.Reader) error {
	kind, payload, err := readFrame(r)
	switch {
	case err != nil:
		return fmt.Errorf("%w: %v", ErrBroken, err)
	case kind == frameOK:
		return nil
	case kind == frameFail:
		return errors.New(string(payload))
	}
	return fmt.Errorf("%w: %v: answer %q", ErrBroken, ErrProtocol, kind)
}

// tailWriter keeps the last bytes written to it.
type tailWriter struct {
	mu  sync.Mutex
	buf []byte
}

const tailBytes = 2048

func (t *tailWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if n := len(t.buf); n > tailBytes {
		t.buf = append(t.buf[:0], t.buf[n-tailBytes:]...)
	}
	return len(p), nil
}

func (t *tailWriter) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(t.buf))
}
