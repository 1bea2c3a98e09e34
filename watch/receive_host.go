package watch

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

	"github.com/devstack/devstack/engine"
)

// errBroken: the receiver's stream failed (it exited, the connection
// dropped, the watch ended); the receiver cannot be used any more.
var errBroken = errors.New("receiver stream broken")

// helloTimeout bounds the wait for a starting receiver's hello.
const helloTimeout = 10 * time.Second

// receiver is `devstack receive` running in a container: one exec whose
// stdin takes batches (see receive_frame.go) and whose stdout answers
// them. The exec's connection lives as long as the receiver is used.
type receiver struct {
	id     string
	conn   types.HijackedResponse
	in     *bufio.Writer  // frames to the receiver's stdin
	acks   *bufio.Reader  // its stdout, demultiplexed
	pr     *io.PipeReader // under acks
	stderr *tailWriter
	done   chan struct{} // closed when the exec's output ended
}

// startReceiver runs the installed receiver at exe in the container and
// waits for its hello.
func startReceiver(ctx context.Context, api engine.API, id, exe string) (*receiver, error) {
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
	rc := newReceiver(id, conn)
	if err := rc.hello(ctx); err != nil {
		rc.close()
		return nil, err
	}
	return rc, nil
}

// newReceiver takes over the exec's connection; a goroutine demultiplexes
// its output until close.
func newReceiver(id string, conn types.HijackedResponse) *receiver {
	pr, pw := io.Pipe()
	rc := &receiver{id: id, conn: conn, in: bufio.NewWriterSize(conn.Conn, chunkBytes+5),
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
func (rc *receiver) hello(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, helloTimeout)
	defer cancel()
	stop := context.AfterFunc(ctx, rc.conn.Close)
	kind, payload, err := readFrame(rc.acks)
	stop()
	if err == nil && (kind != frameHello || string(payload) != receiveProtocol) {
		err = fmt.Errorf("%w: hello %q %q", errProtocol, kind, payload)
	}
	if err != nil {
		return rc.failure(ctx, err)
	}
	return nil
}

// send applies one batch: the deletes, then the copies as writeTar
// streams them. An error wrapping errBroken means the receiver is gone;
// any other one that the batch failed (and the receiver goes on).
func (rc *receiver) send(ctx context.Context, copies []entry, parents, deletes []string, uid, gid int) error {
	stop := context.AfterFunc(ctx, rc.conn.Close) // unblocks the writes and the ack
	defer stop()
	err := writeBatch(rc.in, deletes, func(w io.Writer) error {
		return writeTar(w, copies, parents, uid, gid)
	})
	if errors.Is(err, errBroken) {
		return rc.failure(ctx, err)
	}
	if ackErr := readAck(rc.acks); ackErr != nil && (err == nil || errors.Is(ackErr, errBroken)) {
		err = ackErr
	}
	if errors.Is(err, errBroken) {
		return rc.failure(ctx, err)
	}
	return err
}

// failure describes a broken stream with what the receiver said last.
func (rc *receiver) failure(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		err = fmt.Errorf("%w: %w", errBroken, ctx.Err())
	}
	if tail := rc.stderr.String(); tail != "" {
		return fmt.Errorf("receiver in %.12s: %w (its stderr: %s)", rc.id, err, tail)
	}
	return fmt.Errorf("receiver in %.12s: %w", rc.id, err)
}

// close ends the receiver: its stdin ends, so it exits; after a second
// the connection is closed regardless. The output goroutine is gone when
// close returns.
func (rc *receiver) close() {
	_ = rc.conn.CloseWrite()
	select {
	case <-rc.done:
	case <-time.After(time.Second):
	}
	rc.conn.Close()
	rc.pr.CloseWithError(errBroken) // unblocks the goroutine's write of output nobody reads
	<-rc.done
}

// writeBatch sends one batch; body writes its tar stream. A failure of
// body (a host file unreadable) abandons the batch and is returned as it
// is; a failure of w wraps errBroken.
func writeBatch(w *bufio.Writer, deletes []string, body func(io.Writer) error) error {
	if err := writeFrame(w, frameBatch, joinPaths(deletes)); err != nil {
		return fmt.Errorf("%w: %v", errBroken, err)
	}
	cw := &chunkWriter{w: w}
	bw := bufio.NewWriterSize(cw, chunkBytes)
	err := body(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cw.err != nil {
		return fmt.Errorf("%w: %v", errBroken, cw.err)
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
		return fmt.Errorf("%w: %v", errBroken, end)
	}
	return err
}

// readAck reads the receiver's answer to a batch.
func readAck(r io.Reader) error {
	kind, payload, err := readFrame(r)
	switch {
	case err != nil:
		return fmt.Errorf("%w: %v", errBroken, err)
	case kind == frameOK:
		return nil
	case kind == frameFail:
		return errors.New(string(payload))
	}
	return fmt.Errorf("%w: %v: answer %q", errBroken, errProtocol, kind)
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
