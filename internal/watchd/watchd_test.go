package watchd

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/devstack/devstack/internal/progress"
)

// TestMain doubles as the watcher the tests start: with WATCHD_CHILD set
// the test binary claims the place, says it watches and waits.
func TestMain(m *testing.M) {
	if os.Getenv("WATCHD_CHILD") != "" {
		os.Exit(child())
	}
	os.Exit(m.Run())
}

func child() int {
	p, _ := At(os.Getenv("WATCHD_ROOT"), "unix:///x.sock", "shop")
	release, err := Claim(context.Background(), p, true)
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		return 1
	}
	defer release()
	if os.Getenv("WATCHD_CHILD") == "fail" {
		os.Stderr.WriteString("watch: cannot watch: no triggers\n")
		return 1
	}
	b, err := NewBook(p, true, progress.Discard)
	if err != nil {
		return 1
	}
	b.Event(progress.WatchStateEvent("web", progress.WatchState{State: progress.WatchWatching}))
	time.Sleep(time.Minute)
	return 0
}

func startChild(t *testing.T, root, mode string) (Place, Status, error) {
	t.Helper()
	p, err := At(root, "unix:///x.sock", "shop")
	if err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	st, err := Start(context.Background(), p, StartOptions{
		Exe: exe, Args: []string{"-test.run=^$"}, Ready: 20 * time.Second,
		Env: append(os.Environ(), "WATCHD_CHILD="+mode, "WATCHD_ROOT="+root),
	})
	return p, st, err
}

func TestStartStatusRefuseStop(t *testing.T) {
	root := t.TempDir()
	p, st, err := startChild(t, root, "watch")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = Stop(context.Background(), p, time.Second) })
	if !st.Running || !st.Ready || !st.Background || st.PID == os.Getpid() || st.Log != p.LogPath() {
		t.Fatalf("status after start: %+v", st)
	}
	if got := st.Describe(time.Now()); !strings.Contains(got, "in the background") || !strings.Contains(got, p.LogPath()) {
		t.Fatalf("describe: %s", got)
	}
	if _, err := Claim(context.Background(), p, false); !errors.Is(err, ErrRunning) || !strings.Contains(err.Error(), "pid") {
		t.Fatalf("second watcher: want ErrRunning naming the pid, got %v", err)
	}
	stopped, err := Stop(context.Background(), p, 5*time.Second)
	if err != nil || stopped.PID != st.PID {
		t.Fatalf("stop: %+v %v", stopped, err)
	}
	if st, err := Read(p); err != nil || st.Running {
		t.Fatalf("after stop: %+v %v", st, err)
	}
	release, err := Claim(context.Background(), p, false)
	if err != nil {
		t.Fatalf("claim after stop: %v", err)
	}
	release()
}

func TestStaleStatusAfterKillDoesNotBlock(t *testing.T) {
	root := t.TempDir()
	p, st, err := startChild(t, root, "watch")
	if err != nil {
		t.Fatal(err)
	}
	if err := kill(st.PID); err != nil { // kill -9: the status file stays behind
		t.Fatal(err)
	}
	if !gone(context.Background(), p, st.PID, 5*time.Second) {
		t.Fatal("the lock outlived its killed holder")
	}
	if _, err := os.Stat(p.StatusPath()); err != nil {
		t.Fatalf("the test means a status file left behind: %v", err)
	}
	if st, err := Read(p); err != nil || st.Running {
		t.Fatalf("stale status read as running: %+v %v", st, err)
	}
	if st, err := Stop(context.Background(), p, time.Second); err != nil || st.Running {
		t.Fatalf("stop of none: %+v %v", st, err)
	}
	release, err := Claim(context.Background(), p, true)
	if err != nil {
		t.Fatalf("claim after kill -9: %v", err)
	}
	release()
}

func TestStartReportsAWatcherThatEnds(t *testing.T) {
	_, _, err := startChild(t, t.TempDir(), "fail")
	if !errors.Is(err, ErrNotReady) || !strings.Contains(err.Error(), "no triggers") {
		t.Fatalf("want ErrNotReady with the log's lines, got %v", err)
	}
}

func TestUntilGone(t *testing.T) {
	var n atomic.Int64
	n.Store(2)
	var clock atomic.Int64
	now := func() time.Time { return time.Unix(clock.Add(1), 0) } // a second per look
	count := func(context.Context) (int, error) {
		if n.Load() < 0 {
			return 0, errors.New("engine away")
		}
		return int(n.Load()), nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if UntilGone(ctx, count, time.Millisecond, 5*time.Second, now) {
		t.Fatal("gone while the project has containers")
	}
	n.Store(-1)
	ctx2, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	if UntilGone(ctx2, count, time.Millisecond, 5*time.Second, now) {
		t.Fatal("gone while the engine does not answer")
	}
	n.Store(0)
	if !UntilGone(context.Background(), count, time.Millisecond, 5*time.Second, now) {
		t.Fatal("not gone with no containers")
	}
}

func TestWords(t *testing.T) {
	now := time.Unix(1000, 0)
	for _, c := range []struct {
		st   progress.WatchState
		want string
	}{
		{progress.WatchState{State: "watching"}, "watching"},
		{progress.WatchState{State: "syncing", Files: 1}, "syncing 1 file"},
		{progress.WatchState{State: "syncing", Files: 4}, "syncing 4 files"},
		{progress.WatchState{State: "watching", LastSync: now.Add(-3 * time.Second), Action: "rebuild", Err: "boom"}, "watching, last rebuild 3s ago, failed: boom"},
		{progress.WatchState{State: "watching", Polling: "500ms", LastSync: now.Add(-time.Second)}, "watching, polling every 500ms, last sync 1s ago"},
	} {
		if got := Words(c.st, now); got != c.want {
			t.Errorf("Words(%+v) = %q, want %q", c.st, got, c.want)
		}
	}
}
