// Package watchd keeps the books of devstack's background watcher: one
// `devstack watch` process per project and engine, detached from the
// terminal that started it. Its place (a directory per project under
// devstack's state directory) holds the watcher's log, its status file and
// its lock: the lock (internal/lock: a flock the kernel lets go of however
// the process ends) says whether a watcher runs and refuses a second one;
// the status file says what it is doing. Start launches one, Stop ends it
// and waits for it, Read says whether one runs.
package watchd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/devstack/devstack/internal/lock"
)

var (
	// ErrRunning means a watcher already runs for the project.
	ErrRunning = errors.New("a watcher already runs")
	// ErrNotReady means a background watcher ended, or never said it
	// was watching, before it was ready.
	ErrNotReady = errors.New("the background watcher did not start")
)

// Root is where devstack keeps its watchers' places: $DEVSTACK_DATA_DIR/watch,
// else $XDG_STATE_HOME/devstack/watch, else ~/.local/state/devstack/watch
// (on macOS and Windows, the user cache directory's devstack/watch).
func Root() (string, error) {
	if d := os.Getenv("DEVSTACK_DATA_DIR"); d != "" {
		return filepath.Join(d, "watch"), nil
	}
	if d := os.Getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "devstack", "watch"), nil
	}
	if runtime.GOOS == "linux" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(home, ".local", "state", "devstack", "watch"), nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "devstack", "watch"), nil
}

// Place is one project's watcher files on one engine.
type Place struct {
	Project  string
	Endpoint string // the engine's address
	Root     string
	Dir      string // Root/PROJECT-HASH: the log and the status file
	Lock     string // Root/PROJECT-HASH.lock
}

// At is the place of project on the engine at endpoint, under root
// (Root() when "").
func At(root, endpoint, project string) (Place, error) {
	if root == "" {
		r, err := Root()
		if err != nil {
			return Place{}, fmt.Errorf("watch state directory: %w", err)
		}
		root = r
	}
	path := lock.Path(root, endpoint, project)
	return Place{Project: project, Endpoint: endpoint, Root: root, Dir: strings.TrimSuffix(path, ".lock"), Lock: path}, nil
}

// LogPath is the background watcher's log.
func (p Place) LogPath() string { return filepath.Join(p.Dir, "watch.log") }

// StatusPath is the watcher's status file.
func (p Place) StatusPath() string { return filepath.Join(p.Dir, "status.json") }
