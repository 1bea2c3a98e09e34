package tui

import (
	"fmt"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/devstack/devstack/internal/feed"
	"github.com/devstack/devstack/internal/progress"
)

// applyWatch takes in the watch states and the watcher of a batch.
func (m *Model) applyWatch(b feed.Batch) {
	if b.Watcher != nil {
		m.watcher = *b.Watcher
		if m.watcher == "" {
			m.watch = nil // no watcher: no watch states
		}
	}
	for _, w := range b.Watch {
		if m.watch == nil {
			m.watch = map[string]progress.WatchState{}
		}
		m.watch[w.Service] = w.WatchState
	}
}

// watchMarker is the title line's word on watching: the watcher, or
// "watching" while watch's states come in from up --watch.
func (m Model) watchMarker() string {
	switch {
	case m.watcher != "":
		return m.watcher
	case len(m.watch) > 0:
		for _, st := range m.watch {
			if st.State != progress.WatchStopped {
				return "watching"
			}
		}
	}
	return ""
}

// watchText is a service's WATCH cell: watching, syncing 3, sync 4s ago,
// rebuilding, paused, failed: ...
func watchText(st progress.WatchState, ok bool, now time.Time) string {
	switch {
	case !ok:
		return "-"
	case st.State == progress.WatchSyncing && st.Files > 0:
		return fmt.Sprintf("syncing %d", st.Files)
	case st.State != progress.WatchWatching:
		return st.State
	case st.Err != "":
		return "failed: " + st.Err
	case !st.LastSync.IsZero():
		action := st.Action
		if action == "" {
			action = "sync"
		}
		return fmt.Sprintf("%s %s ago", action, ago(now.Sub(st.LastSync)))
	}
	return "watching"
}

func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%dh", int(d.Hours()))
}

// watchColumn is the WATCH column, for when any service is watched.
func (m Model) watchColumn(widest func(lo, hi int, f func(r *svcRow) string) int) column {
	text := func(r *svcRow) string {
		st, ok := m.watch[r.Service]
		return watchText(st, ok, m.now)
	}
	return column{title: "WATCH", width: max(5, widest(8, 28, text)), cell: func(r *svcRow) (string, lipgloss.Style) {
		st, ok := m.watch[r.Service]
		style := m.st.dim.UnsetFaint()
		if ok && st.Err != "" {
			style = m.st.bad
		}
		return watchText(st, ok, m.now), style
	}}
}
