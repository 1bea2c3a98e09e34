package doctor

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/watch"
)

// inotifyWatches is where Linux keeps the per-user limit of inotify watches.
const inotifyWatches = "/proc/sys/fs/inotify/max_user_watches"

// WatchDirs counts the host directories watch would watch for these
// triggers (watch.Triggers): one inotify watch per directory of each
// watched tree that some trigger covers, .git left out as watch does.
func WatchDirs(triggers []watch.Trigger) (trees, dirs int) {
	seen := map[string]bool{}
	for _, t := range triggers {
		if t.IsFile || seen[t.Path] {
			continue
		}
		seen[t.Path] = true
		trees++
		_ = filepath.WalkDir(t.Path, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return nil
			}
			if d.Name() == ".git" || !covered(triggers, path) {
				return filepath.SkipDir
			}
			dirs++
			return nil
		})
	}
	return trees, dirs
}

func covered(triggers []watch.Trigger, dir string) bool {
	for i := range triggers {
		if triggers[i].Covers(dir) {
			return true
		}
	}
	return false
}

// WatchLimit reads the inotify watch limit (Linux); 0 when there is none to read.
func WatchLimit() int {
	b, err := os.ReadFile(inotifyWatches)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return n
}

// Inotify checks the inotify watch limit against the directories watch
// would watch for the project's develop.watch rules (and presets' defaults).
func Inotify(p *types.Project, limit int) Result {
	triggers, _, err := watch.Triggers(p)
	if err != nil {
		return Result{Check: "inotify", Status: Skip, Detail: fmt.Sprintf("the watch rules do not load: %v", err)}
	}
	trees, dirs := WatchDirs(triggers)
	return inotifyResult(trees, dirs, limit)
}

// inotifyResult judges the limit against the directories to watch: above
// half of it, other programs' watches (editors, IDEs) may exhaust it. Pure.
func inotifyResult(trees, dirs, limit int) Result {
	switch {
	case trees == 0:
		return ok("inotify", "no develop.watch rules")
	case limit == 0:
		return Result{Check: "inotify", Status: Skip, Detail: fmt.Sprintf("watch would watch %d directories; this system has no inotify limit to read", dirs)}
	case dirs > limit/2:
		return Result{Check: "inotify", Status: Warn,
			Detail: fmt.Sprintf("watch would watch %d directories, and the inotify limit is %d watches for all of this user's programs", dirs, limit),
			Remedy: fmt.Sprintf("sudo sysctl fs.inotify.max_user_watches=%d (and in /etc/sysctl.d to keep it), or narrow the watch paths and ignore lists", max(524288, dirs*4))}
	}
	return ok("inotify", "watch would watch %d directories, well within the inotify limit of %d", dirs, limit)
}
