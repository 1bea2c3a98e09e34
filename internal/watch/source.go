package watch

import (
	"errors"
	"fmt"
	"time"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/progress"
)

// Handlers are what a Source calls: changed paths (files, or directories
// that appeared or disappeared), which directories to leave out, a resync
// after lost events, and problems the user should hear about.
type Handlers struct {
	Changed func(paths ...string)
	SkipDir func(dir string) bool
	Resync  func()
	Problem func(msg string)
}

// Source reports the changes under a set of trees and files' directories:
// the Watcher from file events, the Poller by comparing stat walks. Both
// report the same paths for the same changes.
type Source interface {
	SetHandlers(Handlers)
	AddTree(dir string) error
	AddDir(dir string) error
	Run(stop <-chan struct{})
	Close() error
}

// SetHandlers sets what the Watcher calls.
func (w *Watcher) SetHandlers(h Handlers) {
	w.Changed, w.SkipDir, w.Resync, w.Problem = h.Changed, h.SkipDir, h.Resync, h.Problem
}

// openWatcher and fsOf are NewWatcher and eventlessFS; tests replace them.
var (
	openWatcher = NewWatcher
	fsOf        = eventlessFS
)

// newSource is the Poller when Options.Poll, the project or the file
// systems of the watched paths ask for one (saying why), or when the
// system refuses file events at its limit (too many inotify instances),
// else the Watcher.
func (r *runner) newSource() (Source, error) {
	every, why, err := r.pollChoice()
	if err != nil {
		return nil, err
	}
	if every <= 0 {
		w, err := openWatcher()
		switch {
		case err == nil:
			return w, nil
		case !errors.Is(err, ErrInotifyLimit) && !errors.Is(err, ErrWatchLimit):
			return nil, err
		case r.o.Poll < 0:
			return nil, fmt.Errorf("cannot start watching (%s=0 forbids polling): %w", PollEnv, err)
		}
		every, why = DefaultPoll, err.Error()
	}
	r.polling = every
	say(r.out, "polling the watched files every %s: %s", every, why)
	return NewPoller(every), nil
}

// pollChoice says whether to poll, how often and why: --poll or
// DEVSTACK_WATCH_POLL (Options.Poll; < 0 never), else the project's
// x-devstack-watch poll, else a watched path on a file system without
// file events.
func (r *runner) pollChoice() (time.Duration, string, error) {
	switch {
	case r.o.Poll > 0:
		return r.o.Poll, "--poll or " + PollEnv + " asks for it", nil
	case r.o.Poll < 0:
		return 0, "", nil
	}
	every, err := projectPoll(r.p)
	if err != nil || every > 0 {
		return every, "the compose file's x-devstack-watch asks for it", err
	}
	for i := range r.triggers {
		t := &r.triggers[i]
		if t.Action == types.WatchActionSync && t.BindMounted {
			continue
		}
		if fs := fsOf(t.Path); fs != "" {
			return DefaultPoll, fmt.Sprintf("%s is on a %s file system, where file events do not arrive (--poll=INTERVAL sets the interval)", rel(r.p.WorkingDir, t.Path), fs), nil
		}
	}
	return 0, "", nil
}

// state sends a service's watch state, for dashboards.
func (r *runner) state(service string, st progress.WatchState) {
	if r.polling > 0 {
		st.Polling = r.polling.String()
	}
	r.out.Event(progress.WatchStateEvent(service, st))
}

// watchedServices are the services with a trigger that needs watching.
func (r *runner) watchedServices() []string {
	var out []string
	seen := map[string]bool{}
	for i := range r.triggers {
		t := &r.triggers[i]
		if (t.Action == types.WatchActionSync && t.BindMounted) || seen[t.Service] {
			continue
		}
		seen[t.Service] = true
		out = append(out, t.Service)
	}
	return out
}

// watchingStates says that every watched service watches now, and returns
// what says they stopped.
func (r *runner) watchingStates() func() {
	for _, s := range r.watchedServices() {
		r.state(s, progress.WatchState{State: progress.WatchWatching})
	}
	return func() {
		for _, s := range r.watchedServices() {
			r.state(s, progress.WatchState{State: progress.WatchStopped})
		}
	}
}
