//go:build linux

package inject

import (
	"archive/tar"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/pkg/stdcopy"

	"github.com/devstack/devstack/internal/watch/receiver"
)

// execPair is an exec's connection as the engine hands it over, with
// Serve at the far end: stdin in, stdout and stderr multiplexed out, the
// connection closed when the receiver exits.
func execPair(t *testing.T, root string) (types.HijackedResponse, chan error) {
	t.Helper()
	return farEnd(t, func(c net.Conn) error {
		err := receiver.Serve(c, stdcopy.NewStdWriter(c, stdcopy.Stdout), root)
		stdcopy.NewStdWriter(c, stdcopy.Stderr).Write([]byte("receiver exits\n"))
		return err
	})
}

// farEnd runs fn at the far end of a unix socket pair, closing its end when
// fn returns.
func farEnd(t *testing.T, fn func(net.Conn) error) (types.HijackedResponse, chan error) {
	t.Helper()
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	conns := make([]net.Conn, 2)
	for i, fd := range fds {
		f := os.NewFile(uintptr(fd), "exec")
		if conns[i], err = net.FileConn(f); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	done := make(chan error, 1)
	go func() {
		err := fn(conns[1])
		conns[1].Close()
		done <- err
	}()
	return types.NewHijackedResponse(conns[0], ""), done
}

// oneFile is a batch's tar stream: the host file as name (with its
// parent directory), or nothing when host is "".
func oneFile(host, name string) func(io.Writer) error {
	return func(w io.Writer) error {
		tw := tar.NewWriter(w)
		if host != "" {
			data, err := os.ReadFile(host)
			if err != nil {
				return err
			}
			hdrs := []*tar.Header{
				{Name: path.Dir(name) + "/", Typeflag: tar.TypeDir, Mode: 0o755, Uid: os.Getuid(), Gid: os.Getgid()},
				{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(data)), Uid: os.Getuid(), Gid: os.Getgid()},
			}
			for _, h := range hdrs {
				if err := tw.WriteHeader(h); err != nil {
					return err
				}
			}
			if _, err := tw.Write(data); err != nil {
				return err
			}
		}
		return tw.Close()
	}
}

func TestReceiverSession(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "a.txt"), []byte("a"), 0o644); err != nil {
		t.Fatal(err)
	}
	conn, done := execPair(t, dst)
	rc := newConn("c0ffee", conn)
	ctx := context.Background()
	if err := rc.hello(ctx); err != nil {
		t.Fatal(err)
	}
	if err := rc.Send(ctx, nil, oneFile(filepath.Join(src, "a.txt"), "app/a.txt")); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(filepath.Join(dst, "app/a.txt")); string(data) != "a" {
		t.Errorf("app/a.txt: %q, %v", data, err)
	}
	err := rc.Send(ctx, []string{"/app/a.txt"}, oneFile("", ""))
	if _, serr := os.Lstat(filepath.Join(dst, "app/a.txt")); err != nil || !os.IsNotExist(serr) {
		t.Errorf("delete: %v, then %v", err, serr)
	}
	rc.Close() // ends its stdin: the receiver exits
	if err := <-done; err != nil {
		t.Errorf("receiver: %v", err)
	}
}

func TestReceiverBroken(t *testing.T) {
	conn, done := execPair(t, t.TempDir())
	rc := newConn("c0ffee", conn)
	if err := rc.hello(context.Background()); err != nil {
		t.Fatal(err)
	}
	rc.Close()
	<-done

	// A receiver that hangs: the end of the watch ends the wait.
	conn, done = farEnd(t, func(c net.Conn) error {
		never, closed := io.Pipe() // says hello, then waits for input until the connection ends
		go func() { _, _ = io.Copy(io.Discard, c); closed.Close() }()
		return receiver.Serve(never, stdcopy.NewStdWriter(c, stdcopy.Stdout), t.TempDir())
	})
	rc = newConn("c0ffee", conn)
	if err := rc.hello(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := rc.Send(ctx, []string{"/x"}, oneFile("", ""))
	if !errors.Is(err, receiver.ErrBroken) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("send after the watch ended: %v, want receiver.ErrBroken and the context's error", err)
	}
	rc.Close()
	<-done

	// A receiver that exited: the stream ends, with what it said last.
	conn, done = execPair(t, t.TempDir())
	rc = newConn("c0ffee", conn)
	defer rc.Close()
	if err := rc.hello(context.Background()); err != nil {
		t.Fatal(err)
	}
	conn.CloseWrite()
	<-done
	err = rc.Send(context.Background(), []string{"/x"}, oneFile("", ""))
	if !errors.Is(err, receiver.ErrBroken) {
		t.Errorf("send to an exited receiver: %v, want receiver.ErrBroken", err)
	}
}

func TestReceiverNoHello(t *testing.T) {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	ours, theirs := os.NewFile(uintptr(fds[0]), "ours"), os.NewFile(uintptr(fds[1]), "theirs")
	c, err := net.FileConn(ours)
	ours.Close()
	if err != nil {
		t.Fatal(err)
	}
	// What the engine says when the binary cannot run (noexec, ...).
	stdcopy.NewStdWriter(theirs, stdcopy.Stdout).Write([]byte("OCI runtime exec failed: permission denied\n"))
	theirs.Close()
	rc := newConn("c0ffee", types.NewHijackedResponse(c, ""))
	defer rc.Close()
	if err := rc.hello(context.Background()); !errors.Is(err, receiver.ErrBroken) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, receiver.ErrProtocol) {
		t.Errorf("hello: %v", err)
	}
}
