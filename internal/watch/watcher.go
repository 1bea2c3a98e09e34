package watch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Notifier is the part of fsnotify.Watcher the Watcher uses; tests inject
// one that fails like a full inotify table.
type Notifier interface {
	Add(path string) error
	Remove(path string) error
}

// Watcher turns fsnotify's per-directory events into changed paths for a
// set of trees. fsnotify is not recursive: the Watcher walks each tree,
// watches every directory not skipped, watches directories created later
// and rescans them at once (files created before their watch existed).
// Directories are watched rather than files, so editors' atomic saves
// (write a temporary file, rename it over the original) are seen.
//
// When the kernel refuses a watch (the inotify limits), the Watcher says
// what to raise and polls the directories it could not watch instead, so
// no change goes unnoticed.
type Watcher struct {
	// Changed receives changed paths (files, or directories that appeared
	// or disappeared). Editors' temporary files and .git never come out.
	Changed func(paths ...string)
	// SkipDir says a directory and its subtree need no watching.
	SkipDir func(dir string) bool
	// Resync is called after events were lost (queue overflow): every
	// watched path must be treated as changed.
	Resync func()
	// Problem reports conditions the user should act on.
	Problem func(msg string)
	// PollEvery is the period of the fallback poll of unwatched dirs.
	PollEvery time.Duration

	notifier Notifier
	events   <-chan fsnotify.Event
	errs     <-chan error
	closer   func() error

	mu        sync.Mutex
	dirs      map[string]bool // watched directory -> recursive
	roots     map[string]bool // trees added with AddTree
	polled    *Poller         // the directories the kernel refused to watch
	warned    bool
	closeOnce sync.Once
	done      chan struct{}
}

type snapshot struct {
	mod  time.Time
	size int64
	mode fs.FileMode
}

// NewWatcher opens an inotify instance. Its error names the sysctl to raise
// when the per-user instance limit is reached (ErrInotifyLimit; watch
// polls then).
func NewWatcher() (*Watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		if errors.Is(err, syscall.EMFILE) && runtime.GOOS == "linux" {
			return nil, fmt.Errorf("%w: too many inotify instances; raise the limit with `sudo sysctl fs.inotify.max_user_instances=1024` (persist it in /etc/sysctl.d/)", ErrInotifyLimit)
		}
		if errors.Is(err, syscall.EMFILE) {
			return nil, fmt.Errorf("%w: too many open files; raise the limit with `ulimit -n 65536` in the shell that runs devstack", ErrWatchLimit)
		}
		return nil, fmt.Errorf("cannot start watching: %w", err)
	}
	w := newWatcher(fw, fw.Events, fw.Errors)
	w.closer = fw.Close
	return w, nil
}

func newWatcher(n Notifier, events <-chan fsnotify.Event, errs <-chan error) *Watcher {
	return &Watcher{
		notifier: n, events: events, errs: errs,
		dirs: map[string]bool{}, roots: map[string]bool{}, polled: NewPoller(time.Second),
		PollEvery: time.Second, done: make(chan struct{}),
		Changed: func(...string) {}, SkipDir: func(string) bool { return false },
		Resync: func() {}, Problem: func(string) {},
	}
}

// AddTree watches dir and every directory below it that SkipDir does not
// skip. Its parent is watched too (not recursively), so that dir is
// watched again when it is deleted and made anew.
func (w *Watcher) AddTree(dir string) error {
	w.mu.Lock()
	w.roots[dir] = true
	w.mu.Unlock()
	if parent := filepath.Dir(dir); parent != dir {
		_ = w.AddDir(parent) // best effort: only for a re-created root
	}
	_, err := w.addTree(dir, false)
	return err
}

// AddDir watches only dir itself (the parent of a watched file).
func (w *Watcher) AddDir(dir string) error {
	w.mu.Lock()
	if _, ok := w.dirs[dir]; ok {
		w.mu.Unlock()
		return nil
	}
	w.mu.Unlock()
	return w.add(dir, false)
}

// addTree watches the tree at dir; with rescan it also returns every path
// below dir, for a directory that appeared while watching.
func (w *Watcher) addTree(dir string, rescan bool) ([]string, error) {
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path != dir && errors.Is(err, fs.ErrNotExist) {
				return nil // gone while walking
			}
			return err
		}
		if alwaysIgnoredEntry(path, d.IsDir()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			if rescan {
				found = append(found, path)
			}
			return nil
		}
		if path != dir && w.SkipDir(path) {
			return filepath.SkipDir
		}
		if rescan && path != dir {
			found = append(found, path)
		}
		// The watch comes before reading the entries (WalkDir reads them
		// after this returns), so nothing created in between is missed.
		return w.add(path, true)
	})
	return found, err
}

// add watches one directory; a refused watch falls back to polling it.
func (w *Watcher) add(dir string, recursive bool) error {
	w.mu.Lock()
	if r, ok := w.dirs[dir]; ok && (r || !recursive) {
		w.mu.Unlock()
		return nil
	}
	w.mu.Unlock()
	err := w.notifier.Add(dir)
	switch {
	case err == nil:
	case errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE):
		w.limitReached(dir, err)
	case errors.Is(err, fs.ErrNotExist):
		return nil // removed before we got to it
	default:
		return fmt.Errorf("watch %s: %w", dir, err)
	}
	w.mu.Lock()
	w.dirs[dir] = recursive
	w.mu.Unlock()
	return nil
}

// limitReached says once which limit to raise and polls dir from now on.
func (w *Watcher) limitReached(dir string, err error) {
	w.mu.Lock()
	warn := !w.warned
	w.warned = true
	w.mu.Unlock()
	_ = w.polled.AddDir(dir)
	if warn {
		w.Problem(limitMessage(err))
	}
}

func limitMessage(err error) string { return limitAdvice(runtime.GOOS, err) }

// limitAdvice says which limit a refused watch hit and how to raise it, per
// OS: fsnotify uses inotify on Linux (per-user watches and instances),
// kqueue on macOS and the BSDs (one open file per watched file and
// directory) and ReadDirectoryChangesW on Windows.
func limitAdvice(goos string, err error) string {
	const polled = " Until then the directories that could not be watched are polled every second"
	switch goos {
	case "linux", "android":
		if errors.Is(err, syscall.EMFILE) {
			return fmt.Sprintf("%v: too many inotify instances; raise the limit with `sudo sysctl fs.inotify.max_user_instances=1024` (persist it in /etc/sysctl.d/).", ErrInotifyLimit) + polled
		}
		return fmt.Sprintf("%v: the inotify watch limit is reached; raise it with `sudo sysctl fs.inotify.max_user_watches=524288` (persist it in /etc/sysctl.d/).", ErrInotifyLimit) + polled
	case "darwin", "freebsd", "netbsd", "openbsd", "dragonfly":
		return fmt.Sprintf("%v: the open-file limit is reached (kqueue keeps one open file per watched file and directory: %v); raise it with `ulimit -n 65536` in the shell that runs devstack (macOS caps it at `sysctl kern.maxfilesperproc`), or ignore large directories in develop.watch.", ErrWatchLimit, err) + polled
	}
	return fmt.Sprintf("%v: the system refused more watches (%v).", ErrWatchLimit, err) + polled
}

// Run forwards events until stop is closed or the watcher is closed.
func (w *Watcher) Run(stop <-chan struct{}) {
	poll := time.NewTicker(w.PollEvery)
	defer poll.Stop()
	for {
		select {
		case <-stop:
			return
		case <-w.done:
			return
		case ev, ok := <-w.events:
			if !ok {
				return
			}
			w.handle(ev)
		case err, ok := <-w.errs:
			if !ok {
				return
			}
			w.handleError(err)
		case <-poll.C:
			w.poll()
		}
	}
}

func (w *Watcher) handle(ev fsnotify.Event) {
	path := filepath.Clean(ev.Name)
	if alwaysIgnoredNow(path) {
		return
	}
	switch {
	case ev.Op == fsnotify.Chmod:
		// A mode or time change (chmod +x, touch): copy the file again.
		// Directories' attributes change with every entry: skip those.
		if fi, err := os.Lstat(path); err == nil && !fi.IsDir() {
			w.Changed(path)
		}
		return
	case ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename):
		w.forget(path)
		w.Changed(path)
		return
	}
	w.mu.Lock()
	recursive := w.dirs[filepath.Dir(path)] || w.roots[path]
	w.mu.Unlock()
	if ev.Has(fsnotify.Create) && recursive {
		if fi, err := os.Lstat(path); err == nil && fi.IsDir() && !w.SkipDir(path) {
			found, err := w.addTree(path, true)
			if err != nil {
				w.Problem(err.Error())
			}
			w.Changed(append(found, path)...)
			return
		}
	}
	w.Changed(path)
}

// forget drops the watches of a directory that was removed or renamed away.
func (w *Watcher) forget(path string) {
	polled := w.polled.Has(path)
	w.mu.Lock()
	_, watched := w.dirs[path]
	if !watched && !polled {
		w.mu.Unlock()
		return // a file, or a directory never watched
	}
	var gone []string
	for dir := range w.dirs {
		if _, ok := within(path, dir); ok {
			gone = append(gone, dir)
		}
	}
	for _, dir := range gone {
		delete(w.dirs, dir)
	}
	w.mu.Unlock()
	for _, dir := range gone {
		w.polled.Remove(dir)
		_ = w.notifier.Remove(dir) // already gone with a deleted directory
	}
}

func (w *Watcher) handleError(err error) {
	if errors.Is(err, fsnotify.ErrEventOverflow) {
		w.Problem("the kernel's inotify event queue overflowed, so some changes were lost; resyncing everything watched. Raise the queue with `sudo sysctl fs.inotify.max_queued_events=65536` if this repeats")
		w.Resync()
		return
	}
	w.Problem("watch: " + err.Error())
}

// poll passes on what changed in the directories that could not be
// watched (one Poller pass over them); a directory that appeared in a
// tree is watched, or polled, with what it holds.
func (w *Watcher) poll() {
	for _, p := range w.polled.Pass() {
		if alwaysIgnoredNow(p) {
			continue
		}
		w.mu.Lock()
		recursive := w.dirs[filepath.Dir(p)]
		w.mu.Unlock()
		// The Poller reports a directory when it appears or goes (or its
		// mode changes): never for its entries alone.
		if fi, err := os.Lstat(p); err == nil && fi.IsDir() && recursive && !w.SkipDir(p) {
			found, _ := w.addTree(p, true)
			w.Changed(found...)
		}
		w.Changed(p)
	}
}

// Watched lists the directories watched or polled (for tests and messages).
func (w *Watcher) Watched() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.dirs)
}

// Close releases the inotify instance.
func (w *Watcher) Close() error {
	var err error
	w.closeOnce.Do(func() {
		close(w.done)
		if w.closer != nil {
			err = w.closer()
		}
	})
	return err
}
