package watchd

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/devstack/devstack/internal/atomicfile"
	"github.com/devstack/devstack/internal/lock"
	"github.com/devstack/devstack/internal/progress"
)

// Status is what a watcher says about itself in its status file.
type Status struct {
	PID        int                            `json:"pid"`
	Since      time.Time                      `json:"since"`
	Log        string                         `json:"log,omitempty"` // "" for a watcher in a terminal
	Background bool                           `json:"background"`
	Ready      bool                           `json:"ready"` // it follows changes now
	Services   map[string]progress.WatchState `json:"services,omitempty"`
	// Running is not in the file: Read sets it from the lock.
	Running bool `json:"-"`
}

// Describe is one line about the watcher:
// "running in the background, pid 123, since 15:04:05 (2m0s ago), log /x/watch.log".
func (s Status) Describe(now time.Time) string {
	if !s.Running {
		return "not running"
	}
	where := "in a terminal"
	if s.Background {
		where = "in the background"
	}
	out := fmt.Sprintf("running %s, pid %d, since %s (%s ago)", where, s.PID, s.Since.Local().Format("15:04:05"), now.Sub(s.Since).Round(time.Second))
	if s.Log != "" {
		out += ", log " + s.Log
	}
	return out
}

// ServiceLines describe each service's watch state, sorted by service.
func (s Status) ServiceLines(now time.Time) []string {
	names := make([]string, 0, len(s.Services))
	for n := range s.Services {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]string, 0, len(names))
	for _, n := range names {
		out = append(out, n+": "+Words(s.Services[n], now))
	}
	return out
}

// Words say a service's watch state: "watching, last sync 3s ago",
// "syncing 4 files", "watching, last rebuild failed: ...".
func Words(st progress.WatchState, now time.Time) string {
	parts := []string{st.State}
	if st.State == progress.WatchSyncing && st.Files > 0 {
		parts[0] = fmt.Sprintf("syncing %d file%s", st.Files, plural(st.Files))
	}
	if st.Polling != "" {
		parts = append(parts, "polling every "+st.Polling)
	}
	if !st.LastSync.IsZero() {
		action := st.Action
		if action == "" {
			action = "sync"
		}
		parts = append(parts, fmt.Sprintf("last %s %s ago", action, now.Sub(st.LastSync).Round(time.Second)))
	}
	if st.Err != "" {
		parts = append(parts, "failed: "+st.Err)
	}
	return strings.Join(parts, ", ")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Read says whether a watcher runs at the place (from its lock) and what
// its status file says. A status file left by a killed watcher is read as
// not running.
func Read(p Place) (Status, error) {
	held, h, err := lock.Held(p.Lock)
	if err != nil {
		return Status{}, fmt.Errorf("watcher lock %s: %w", p.Lock, err)
	}
	var st Status
	b, err := os.ReadFile(p.StatusPath())
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return Status{}, err
	default:
		_ = json.Unmarshal(b, &st) // a damaged file says nothing
	}
	if !held {
		return Status{Log: st.Log}, nil
	}
	if st.PID != h.PID && h.PID != 0 { // the file is an older watcher's
		st = Status{PID: h.PID}
	}
	st.Running = true
	return st, nil
}

// Book writes a watcher's status file as its state changes; it is a
// progress.Progress that takes the KindWatchState events in and passes
// every event on to Next.
type Book struct {
	Place Place
	Next  progress.Progress

	mu sync.Mutex
	st Status
}

// NewBook starts the status file of the watcher that is this process.
func NewBook(p Place, background bool, next progress.Progress) (*Book, error) {
	b := &Book{Place: p, Next: next, st: Status{PID: os.Getpid(), Since: time.Now().UTC(), Background: background, Services: map[string]progress.WatchState{}}}
	if background {
		b.st.Log = p.LogPath()
	}
	return b, b.write()
}

// Event records a service's state and passes e on.
func (b *Book) Event(e progress.Event) {
	if e.Kind == progress.KindWatchState && e.Watch != nil {
		b.mu.Lock()
		b.st.Services[e.Name] = *e.Watch
		if e.Watch.State == progress.WatchWatching {
			b.st.Ready = true
		}
		_ = b.write()
		b.mu.Unlock()
	}
	b.Next.Event(e)
}

// Remove deletes the status file as the watcher ends.
func (b *Book) Remove() { _ = os.Remove(b.Place.StatusPath()) }

func (b *Book) write() error {
	data, err := json.MarshalIndent(b.st, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(b.Place.Dir, 0o700); err != nil {
		return err
	}
	return atomicfile.Write(b.Place.StatusPath(), data, 0o600)
}
