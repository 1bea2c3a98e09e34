package lock

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func opts(t *testing.T, dir, cmd string, pid int, wait time.Duration) Options {
	t.Helper()
	return Options{Dir: dir, Endpoint: "unix:///var/run/docker.sock", Project: "shop", Me: Holder{cmd, pid}, Wait: wait, Poll: 5 * time.Millisecond}
}

func TestSecondHolderFailsAtOnceNamingTheFirst(t *testing.T) {
	dir := t.TempDir()
	release, err := Acquire(context.Background(), opts(t, dir, "devstack up", 1234, 0))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Acquire(context.Background(), opts(t, dir, "devstack down", 99, 0))
	if !errors.Is(err, ErrHeld) || !strings.Contains(err.Error(), "devstack up (pid 1234)") || !strings.Contains(err.Error(), "shop") {
		t.Fatalf("want ErrHeld naming devstack up (pid 1234) on shop, got %v", err)
	}
	release()
	release2, err := Acquire(context.Background(), opts(t, dir, "devstack down", 99, 0))
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	release2()
}

func TestWaiterSaysSoOnceAndGetsItOnRelease(t *testing.T) {
	dir := t.TempDir()
	release, err := Acquire(context.Background(), opts(t, dir, "devstack up", 1234, 0))
	if err != nil {
		t.Fatal(err)
	}
	var said []Holder
	o := opts(t, dir, "devstack stop", 5, -1)
	o.OnWait = func(h Holder) { said = append(said, h) }
	done := make(chan error)
	go func() {
		r, err := Acquire(context.Background(), o)
		if err == nil {
			r()
		}
		done <- err
	}()
	time.Sleep(50 * time.Millisecond) // several polls
	release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(said) != 1 || said[0] != (Holder{"devstack up", 1234}) {
		t.Fatalf("OnWait calls: %v", said)
	}
}

func TestWaitTimesOutAndCtxCancels(t *testing.T) {
	dir := t.TempDir()
	release, err := Acquire(context.Background(), opts(t, dir, "devstack up", 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	_, err = Acquire(context.Background(), opts(t, dir, "devstack up", 2, 30*time.Millisecond))
	if !errors.Is(err, ErrHeld) || !strings.Contains(err.Error(), "after 30ms") {
		t.Fatalf("timeout: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err = Acquire(ctx, opts(t, dir, "devstack up", 3, -1)); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancel: %v", err)
	}
}

func TestKeyedByEndpointAndProject(t *testing.T) {
	dir := t.TempDir()
	release, err := Acquire(context.Background(), opts(t, dir, "devstack up", 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	other := opts(t, dir, "devstack up", 2, 0)
	other.Project = "blog"
	r, err := Acquire(context.Background(), other)
	if err != nil {
		t.Fatalf("other project: %v", err)
	}
	r()
	other = opts(t, dir, "devstack up", 2, 0)
	other.Endpoint = "tcp://10.0.0.1:2375"
	r, err = Acquire(context.Background(), other)
	if err != nil {
		t.Fatalf("other endpoint: %v", err)
	}
	r()
}

func TestHeldSaysWhoHoldsAndLetsGoAtOnce(t *testing.T) {
	dir := t.TempDir()
	o := opts(t, dir, "devstack watch", 4321, 0)
	path := Path(dir, o.Endpoint, o.Project)
	if held, _, err := Held(path); err != nil || held {
		t.Fatalf("no file yet: held=%v err=%v", held, err)
	}
	release, err := Acquire(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	held, h, err := Held(path)
	if err != nil || !held || h.PID != 4321 || h.Command != "devstack watch" {
		t.Fatalf("while held: held=%v holder=%v err=%v", held, h, err)
	}
	release()
	if held, _, err := Held(path); err != nil || held {
		t.Fatalf("after release: held=%v err=%v", held, err)
	}
	// The probe itself must not keep the lock.
	release, err = Acquire(context.Background(), o)
	if err != nil {
		t.Fatalf("after a probe: %v", err)
	}
	release()
}
