// Package watch is devstack's hot reload: it follows the compose
// develop.watch triggers of a running stack. A recursive fsnotify Watcher
// reports changed paths, a Debouncer (on an injected Clock) cuts them into
// batches, PlanBatch (pure) turns a batch into one Reload per service, and
// the Runner applies reloads: sync (directly into the container's root
// when devstack may, else through devstack's own receiver running in the
// container over one exec stream, else a tar stream through
// CopyToContainer; see box), restart, exec, and rebuild with recreation of
// only that service.
package watch

import "errors"

var (
	// ErrBadTrigger means a develop.watch trigger cannot be followed.
	ErrBadTrigger = errors.New("bad develop.watch trigger")
	// ErrNoTriggers means no selected service has anything to watch.
	ErrNoTriggers = errors.New("nothing to watch")
	// ErrInotifyLimit means the kernel refused more inotify watches or instances.
	ErrInotifyLimit = errors.New("inotify limit reached")
	// ErrWatchLimit means the OS refused more watches (kqueue's open files
	// on macOS and the BSDs, or Windows).
	ErrWatchLimit = errors.New("file watch limit reached")
	// ErrOutside means a file sent back from a container would land outside
	// its rule's path on the host (a ".." name, or a symlink on the way).
	ErrOutside = errors.New("refused: outside the rule's path on the host")
)
