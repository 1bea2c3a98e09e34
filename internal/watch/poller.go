package watch

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Poller is the Source for where file events do not arrive: every Every
// it walks its trees with one lstat per entry (no file is read) and
// reports what appeared, changed (size, time, mode) or went away since the
// last walk: the paths the Watcher would report for the same changes.
// A directory is reported when it appears or goes away, not when its
// entries change (they are reported themselves).
type Poller struct {
	Handlers
	Every time.Duration

	mu    sync.Mutex
	trees map[string]bool // root -> recursive (AddTree) or only its entries (AddDir)
	seen  map[string]snapshot

	closeOnce sync.Once
	done      chan struct{}
}

// NewPoller polls every every (DefaultPoll when 0).
func NewPoller(every time.Duration) *Poller {
	if every <= 0 {
		every = DefaultPoll
	}
	return &Poller{
		Every: every, trees: map[string]bool{}, seen: map[string]snapshot{}, done: make(chan struct{}),
		Handlers: Handlers{Changed: func(...string) {}, SkipDir: func(string) bool { return false }, Resync: func() {}, Problem: func(string) {}},
	}
}

// SetHandlers sets what the Poller calls.
func (p *Poller) SetHandlers(h Handlers) { p.Handlers = h }

// AddTree polls dir and every directory below it that SkipDir does not skip.
func (p *Poller) AddTree(dir string) error { return p.add(dir, true) }

// AddDir polls dir's entries (the parent of a watched file).
func (p *Poller) AddDir(dir string) error { return p.add(dir, false) }

func (p *Poller) add(dir string, recursive bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r, ok := p.trees[dir]; ok && (r || !recursive) {
		return nil
	}
	p.trees[dir] = recursive
	if fi, err := os.Lstat(dir); err == nil && fi.IsDir() {
		p.seen[dir] = snapshot{mod: fi.ModTime(), size: fi.Size(), mode: fi.Mode()}
		p.walkDir(dir, recursive, p.seen)
	}
	return nil
}

// Remove stops polling dir (added with AddTree or AddDir) and forgets its
// entries.
func (p *Poller) Remove(dir string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	recursive, ok := p.trees[dir]
	if !ok {
		return
	}
	delete(p.trees, dir)
	for path := range p.seen {
		rel, in := within(dir, path)
		if in && (recursive || rel == "." || !strings.ContainsRune(rel, filepath.Separator)) && !p.coveredLocked(path) {
			delete(p.seen, path)
		}
	}
}

// Has says whether dir is polled.
func (p *Poller) Has(dir string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.trees[dir]
	return ok
}

// coveredLocked says whether another polled tree still covers path.
func (p *Poller) coveredLocked(path string) bool {
	for root, recursive := range p.trees {
		rel, in := within(root, path)
		if in && (recursive || rel == "." || !strings.ContainsRune(rel, filepath.Separator)) {
			return true
		}
	}
	return false
}

// Run polls until stop is closed or the Poller is closed.
func (p *Poller) Run(stop <-chan struct{}) {
	t := time.NewTicker(p.Every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-p.done:
			return
		case <-t.C:
			if changed := p.Pass(); len(changed) > 0 {
				p.Changed(changed...)
			}
		}
	}
}

// Pass walks the trees once and returns what changed since the last pass,
// sorted.
func (p *Poller) Pass() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.walk()
	var changed []string
	for path, s := range now {
		b, ok := p.seen[path]
		switch {
		case !ok:
			changed = append(changed, path)
		case s.mode.IsDir() && b.mode.IsDir():
			if s.mode != b.mode {
				changed = append(changed, path)
			}
		case b != s:
			changed = append(changed, path)
		}
	}
	for path := range p.seen {
		if _, ok := now[path]; !ok {
			changed = append(changed, path)
		}
	}
	p.seen = now
	sort.Strings(changed)
	return changed
}

// walk stats everything under the trees, but for what is always ignored
// and the directories SkipDir leaves out.
func (p *Poller) walk() map[string]snapshot {
	out := make(map[string]snapshot, len(p.seen)+16)
	for root, recursive := range p.trees {
		fi, err := os.Lstat(root)
		if err != nil || !fi.IsDir() {
			continue
		}
		out[root] = snapshot{mod: fi.ModTime(), size: fi.Size(), mode: fi.Mode()}
		p.walkDir(root, recursive, out)
	}
	return out
}

func (p *Poller) walkDir(dir string, recursive bool, out map[string]snapshot) {
	var subdirs []string
	statEntries(dir, func(name string, s snapshot) {
		isDir := s.mode.IsDir()
		if name == ".git" || (!isDir && EditorTemp(name)) { // alwaysIgnoredEntry, by name: .git is never entered
			return
		}
		path := dir + string(filepath.Separator) + name
		out[path] = s
		if isDir && recursive && !p.SkipDir(path) {
			subdirs = append(subdirs, path)
		}
	})
	for _, d := range subdirs {
		p.walkDir(d, true, out)
	}
}

// Close stops Run.
func (p *Poller) Close() error {
	p.closeOnce.Do(func() { close(p.done) })
	return nil
}
