package inject

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

	"github.com/devstack/devstack/internal/watch/receiver"
)

// helloTimeout bounds the wait for a starting receiver's hello.
const helloTimeout = 10 * time.Second

// Conn is the receiver running in a container: one exec whose stdin
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
	rc := &Conn{id: id, conn: conn, in: bufio.NewWriterSize(conn.Conn, receiver.BufferSize),
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
	err := receiver.ReadHello(rc.acks)
	stop()
	if err != nil {
		return rc.failure(ctx, err)
	}
	return nil
}

// Send applies one batch: the deletes (container paths), then the tar
// stream body writes: directories, files and symlinks named by their path
// below "/", with the owners and modes to give them. An error wrapping
// receiver.ErrBroken means the receiver is gone; any other one that the batch failed
// (a failure of body abandons it) and the receiver goes on.
func (rc *Conn) Send(ctx context.Context, deletes []string, body func(io.Writer) error) error {
	stop := context.AfterFunc(ctx, rc.conn.Close) // unblocks the writes and the ack
	defer stop()
	err := receiver.WriteBatch(rc.in, deletes, body)
	if errors.Is(err, receiver.ErrBroken) {
		return rc.failure(ctx, err)
	}
	if ackErr := receiver.ReadAck(rc.acks); ackErr != nil && (err == nil || errors.Is(ackErr, receiver.ErrBroken)) {
		err = ackErr
	}
	if errors.Is(err, receiver.ErrBroken) {
		return rc.failure(ctx, err)
	}
	return err
}

// failure describes a broken stream with what the receiver said last.
func (rc *Conn) failure(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		err = fmt.Errorf("%w: %w", receiver.ErrBroken, ctx.Err())
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
	rc.pr.CloseWithError(receiver.ErrBroken) // unblocks the goroutine's write of output nobody reads
	<-rc.done
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
