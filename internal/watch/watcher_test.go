package watch

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// collector gathers changed paths from a Watcher.
type collector struct {
	mu    sync.Mutex
	seen  map[string]bool
	added chan struct{}
}

func newCollector() *collector {
	return &collector{seen: map[string]bool{}, added: make(chan struct{}, 1)}
}

func (c *collector) changed(paths ...string) {
	c.mu.Lock()
	for _, p := range paths {
		c.seen[p] = true
	}
	c.mu.Unlock()
	select {
	case c.added <- struct{}{}:
	default:
	}
}

// waitFor waits until every path was reported (events are real here).
func (c *collector) waitFor(t *testing.T, paths ...string) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		c.mu.Lock()
		missing := slices.DeleteFunc(slices.Clone(paths), func(p string) bool { return c.seen[p] })
		c.mu.Unlock()
		if len(missing) == 0 {
			return
		}
		select {
		case <-c.added:
		case <-deadline:
			t.Fatalf("never reported: %v", missing)
		}
	}
}

func (c *collector) has(p string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seen[p]
}

func startWatcher(t *testing.T, dir string) (*Watcher, *collector) {
	t.Helper()
	w, err := NewWatcher()
	if err != nil {
		t.Fatal(err)
	}
	c := newCollector()
	w.Changed = c.changed
	w.SkipDir = func(d string) bool { return filepath.Base(d) == "node_modules" }
	if err := w.AddTree(dir); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	go w.Run(stop)
	t.Cleanup(func() { close(stop); w.Close() })
	return w, c
}

// fsnotify is not recursive: directories created later are watched, and
// what was created in them before their watch existed is found by a rescan.
func TestWatcherRecursiveNewDirs(t *testing.T) {
	dir := t.TempDir()
	mustMkdir(t, filepath.Join(dir, "old", "sub"))
	_, c := startWatcher(t, dir)

	write(t, filepath.Join(dir, "old", "sub", "a.txt"))
	c.waitFor(t, filepath.Join(dir, "old", "sub", "a.txt"))

	deep := filepath.Join(dir, "n1", "n2", "n3")
	mustMkdir(t, deep) // all at once: n2 and n3 exist before n1's watch
	write(t, filepath.Join(deep, "b.txt"))
	c.waitFor(t, filepath.Join(dir, "n1"), filepath.Join(dir, "n1", "n2"), deep, filepath.Join(deep, "b.txt"))

	write(t, filepath.Join(deep, "c.txt")) // n3 itself is watched now
	c.waitFor(t, filepath.Join(deep, "c.txt"))
}

// Atomic saves (temporary file renamed over the original) are seen, and
// .git and editors' files never come out.
func TestWatcherAtomicSaveAndIgnores(t *testing.T) {
	dir := t.TempDir()
	mustMkdir(t, filepath.Join(dir, ".git"))
	mustMkdir(t, filepath.Join(dir, "node_modules"))
	target := filepath.Join(dir, "index.html")
	write(t, target)
	_, c := startWatcher(t, dir)

	write(t, filepath.Join(dir, ".git", "index"))
	write(t, filepath.Join(dir, ".index.html.swp"))
	write(t, filepath.Join(dir, "4913"))
	write(t, filepath.Join(dir, "node_modules", "x.js"))
	tmp := filepath.Join(dir, "index.html___jb_tmp___")
	write(t, tmp)
	if err := os.Rename(tmp, target); err != nil {
		t.Fatal(err)
	}
	c.waitFor(t, target)
	write(t, filepath.Join(dir, "marker"))
	c.waitFor(t, filepath.Join(dir, "marker"))
	for _, p := range []string{".git/index", ".git", ".index.html.swp", "4913", "index.html___jb_tmp___", "node_modules/x.js"} {
		if c.has(filepath.Join(dir, p)) {
			t.Errorf("%s reported", p)
		}
	}
}

func TestWatcherDeletes(t *testing.T) {
	dir := t.TempDir()
	mustMkdir(t, filepath.Join(dir, "d", "e"))
	write(t, filepath.Join(dir, "d", "e", "f.txt"))
	w, c := startWatcher(t, dir)
	if err := os.RemoveAll(filepath.Join(dir, "d")); err != nil {
		t.Fatal(err)
	}
	c.waitFor(t, filepath.Join(dir, "d"), filepath.Join(dir, "d", "e", "f.txt"))
	deadline := time.Now().Add(5 * time.Second)
	for w.Watched() != 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := w.Watched(); n != 2 {
		t.Errorf("%d directories still watched after the tree was removed, want 2 (the root and its parent)", n)
	}
}

// A watched tree that is deleted and made anew is watched again.
func TestWatcherRootRecreated(t *testing.T) {
	root := filepath.Join(t.TempDir(), "site")
	mustMkdir(t, root)
	_, c := startWatcher(t, root)
	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	c.waitFor(t, root)
	mustMkdir(t, filepath.Join(root, "sub"))
	c.waitFor(t, filepath.Join(root, "sub"))
	write(t, filepath.Join(root, "sub", "later.txt"))
	c.waitFor(t, filepath.Join(root, "sub", "later.txt"))
}

// fakeNotifier refuses watches like a full inotify table.
type fakeNotifier struct {
	mu    sync.Mutex
	limit int
	added []string
}

func (f *fakeNotifier) Add(p string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.added) >= f.limit {
		return syscall.ENOSPC
	}
	f.added = append(f.added, p)
	return nil
}

func (f *fakeNotifier) Remove(string) error { return nil }

// When the kernel refuses watches, the message names the sysctl, and the
// directories that could not be watched are polled: nothing goes stale.
func TestWatcherLimitFallsBackToPolling(t *testing.T) {
	dir := t.TempDir()
	mustMkdir(t, filepath.Join(dir, "a"))
	mustMkdir(t, filepath.Join(dir, "b"))
	write(t, filepath.Join(dir, "b", "old.txt"))
	w := newWatcher(&fakeNotifier{limit: 1}, nil, nil)
	c := newCollector()
	var problems []string
	w.Changed = c.changed
	w.Problem = func(m string) { problems = append(problems, m) }
	if err := w.AddTree(dir); err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 || !strings.Contains(problems[0], "sysctl fs.inotify.max_user_watches=") || !strings.Contains(problems[0], "polled") {
		t.Fatalf("problems %q, want one naming fs.inotify.max_user_watches", problems)
	}
	write(t, filepath.Join(dir, "b", "new.txt"))
	if err := os.Remove(filepath.Join(dir, "b", "old.txt")); err != nil {
		t.Fatal(err)
	}
	mustMkdir(t, filepath.Join(dir, "a", "sub"))
	write(t, filepath.Join(dir, "a", "sub", "x.txt"))
	w.poll()
	for _, p := range []string{"b/new.txt", "b/old.txt", "a/sub", "a/sub/x.txt"} {
		if !c.has(filepath.Join(dir, p)) {
			t.Errorf("poll missed %s", p)
		}
	}
}

// An overflowed event queue means lost events: say so and resync everything.
func TestWatcherOverflowResyncs(t *testing.T) {
	errs := make(chan error, 1)
	w := newWatcher(&fakeNotifier{limit: 10}, make(chan fsnotify.Event), errs)
	resynced := make(chan struct{})
	var msg string
	w.Problem = func(m string) { msg = m }
	w.Resync = func() { close(resynced) }
	stop := make(chan struct{})
	defer close(stop)
	go w.Run(stop)
	errs <- fsnotify.ErrEventOverflow
	select {
	case <-resynced:
	case <-time.After(5 * time.Second):
		t.Fatal("no resync after an overflow")
	}
	if !strings.Contains(msg, "overflowed") || !strings.Contains(msg, "max_queued_events") {
		t.Errorf("message %q", msg)
	}
}

func mustMkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, name string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(name), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLimitAdvice: a refused watch names the limit of the OS devstack runs
// on (the macOS and Windows texts are checked here; only Linux runs the
// watcher in these tests).
func TestLimitAdvice(t *testing.T) {
	for _, c := range []struct {
		goos string
		err  error
		want string
	}{
		{"linux", syscall.ENOSPC, "fs.inotify.max_user_watches"},
		{"linux", syscall.EMFILE, "fs.inotify.max_user_instances"},
		{"darwin", syscall.EMFILE, "ulimit -n"},
		{"freebsd", syscall.EMFILE, "kqueue"},
		{"windows", syscall.ENOSPC, "system refused more watches"},
	} {
		got := limitAdvice(c.goos, c.err)
		if !strings.Contains(got, c.want) || !strings.Contains(got, "polled") {
			t.Errorf("%s %v: %q, want it to name %q and the polling", c.goos, c.err, got, c.want)
		}
		if c.goos != "linux" && strings.Contains(got, "inotify") {
			t.Errorf("%s: %q speaks of inotify", c.goos, got)
		}
	}
}
