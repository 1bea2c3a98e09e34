package watch

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
)

// Sync is one trigger's share of a batch: host paths to copy or delete.
type Sync struct {
	Trigger *Trigger
	Paths   []string
}

// Reload is what one batch asks of one service, in the order it runs:
// rebuild (which replaces everything else), or the syncs, then the execs,
// then a restart.
type Reload struct {
	Service string
	Rebuild bool
	Syncs   []Sync
	Execs   []*Trigger // sync+exec triggers whose command runs after the syncs
	Restart bool
	Files   []string // every changed host path that matched, sorted
}

// Action names the reload as a user wrote it: rebuild, sync, restart,
// sync+restart, sync+exec, or a combination such as sync+exec+restart.
func (r Reload) Action() string {
	if r.Rebuild {
		return "rebuild"
	}
	var parts []string
	if len(r.Syncs) > 0 {
		parts = append(parts, "sync")
	}
	if len(r.Execs) > 0 {
		if len(parts) == 0 {
			parts = append(parts, "sync") // bind-mounted: nothing to copy, still sync+exec
		}
		parts = append(parts, "exec")
	}
	if r.Restart {
		parts = append(parts, "restart")
	}
	return strings.Join(parts, "+")
}

// String is one line for table tests: "web sync+restart a.txt b/c.txt".
func (r Reload) String() string {
	return fmt.Sprintf("%s %s %s", r.Service, r.Action(), strings.Join(r.Files, " "))
}

// PlanBatch turns a batch of changed host paths into one Reload per service
// (sorted by service). A path counts for every trigger whose path holds it
// and whose ignore/include rules let it through. It is pure: it looks at
// names only, never at the file system.
func PlanBatch(triggers []Trigger, changed []string) []Reload {
	byService := map[string]*Reload{}
	files := map[string]map[string]bool{}
	for i := range triggers {
		t := &triggers[i]
		if t.Action == types.WatchActionSync && t.BindMounted {
			continue // the container sees the files already
		}
		var hit []string
		for _, p := range changed {
			if t.matches(p) {
				hit = append(hit, p)
			}
		}
		if len(hit) == 0 {
			continue
		}
		r := byService[t.Service]
		if r == nil {
			r = &Reload{Service: t.Service}
			byService[t.Service] = r
			files[t.Service] = map[string]bool{}
		}
		for _, p := range hit {
			files[t.Service][p] = true
		}
		if t.syncs() {
			r.Syncs = append(r.Syncs, Sync{Trigger: t, Paths: hit})
		}
		switch t.Action {
		case types.WatchActionRebuild:
			r.Rebuild = true
		case types.WatchActionRestart, types.WatchActionSyncRestart:
			r.Restart = true
		case types.WatchActionSyncExec:
			r.Execs = append(r.Execs, t)
		}
	}
	out := make([]Reload, 0, len(byService))
	for name, r := range byService {
		for p := range files[name] {
			r.Files = append(r.Files, p)
		}
		sort.Strings(r.Files)
		if r.Rebuild {
			r.Syncs, r.Execs, r.Restart = nil, nil, false
		}
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Service < out[j].Service })
	return out
}

// matches: the path is the trigger's file, or lies under its directory and
// passes its rules. A path's kind is unknown here (it may be gone), so
// include patterns apply to every path but the trigger's own.
func (t *Trigger) matches(p string) bool {
	if t.IsFile {
		return filepath.Clean(p) == t.Path
	}
	return !t.Match.Ignored(p, false)
}

// Covers reports whether the trigger watches the directory dir (for
// deciding which directories to descend into).
func (t *Trigger) Covers(dir string) bool {
	if t.IsFile || (t.Action == types.WatchActionSync && t.BindMounted) {
		return false
	}
	return !t.Match.SkipDir(dir)
}
