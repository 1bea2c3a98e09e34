package watch

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/apply"
)

// Actions are the develop.watch actions, in the order error messages list them.
var Actions = []types.WatchAction{
	types.WatchActionSync, types.WatchActionRebuild, types.WatchActionRestart,
	types.WatchActionSyncRestart, types.WatchActionSyncExec,
}

// Trigger is one develop.watch entry of a service, checked and resolved.
type Trigger struct {
	Service     string
	Index       int    // position in the service's develop.watch
	Path        string // absolute host path
	IsFile      bool   // Path is a file, not a directory
	Action      types.WatchAction
	Target      string // absolute container path (sync actions)
	Exec        types.ServiceHook
	InitialSync bool
	// BindMounted: Path is bind-mounted into the container already, so
	// the container sees changes without a copy; only restart/exec run.
	BindMounted bool
	// Preset: a preset's default (no develop section): its exec or restart
	// also follows the initial sync, so the file takes effect at once.
	Preset bool
	Match  *Matcher
	// SyncBack are the x-sync-back globs (relative to Target): files the
	// container writes there come back to the host under Path.
	SyncBack []string
}

// syncs reports whether the action copies files into the container.
func (t *Trigger) syncs() bool {
	switch t.Action {
	case types.WatchActionSync, types.WatchActionSyncRestart, types.WatchActionSyncExec:
		return !t.BindMounted
	}
	return false
}

// Where names the trigger in messages: "service web: develop.watch[0]".
func (t *Trigger) Where() string {
	return fmt.Sprintf("service %s: develop.watch[%d]", t.Service, t.Index)
}

// ContainerPath maps a host path under the trigger's path to the
// container; "" for a path outside the trigger's path.
func (t *Trigger) ContainerPath(host string) string {
	rel, ok := within(t.Path, host)
	switch {
	case !ok:
		return ""
	case rel == ".":
		return t.Target
	}
	return path.Join(t.Target, filepath.ToSlash(rel))
}

// Triggers checks and resolves the develop.watch triggers of the project's
// services (sorted by service, then position). notes are things to tell the
// user (a bind-mounted path needs no sync). Each problem is an error naming
// the service and trigger.
func Triggers(p *types.Project) (out []Trigger, notes []string, err error) {
	names := p.ServiceNames()
	sort.Strings(names)
	for _, name := range names {
		s := p.Services[name]
		watches, preset := []types.Trigger(nil), false
		if s.Develop != nil {
			watches = s.Develop.Watch
		} else {
			var more []string
			watches, more = presetTriggers(p, s)
			notes = append(notes, more...)
			preset = true
		}
		if len(watches) == 0 {
			continue
		}
		var dockerignore []string
		contextDir := ""
		if s.Build != nil {
			contextDir = abs(p.WorkingDir, s.Build.Context)
			if dockerignore, err = apply.ReadDockerignore(contextDir); err != nil {
				return nil, nil, fmt.Errorf("%w: service %s: %v", ErrBadTrigger, name, err)
			}
		}
		for i, w := range watches {
			t, note, err := resolve(p, s, i, w, contextDir, dockerignore)
			if err != nil {
				return nil, nil, err
			}
			t.Preset = preset
			if note != "" {
				notes = append(notes, note)
			}
			out = append(out, t)
		}
	}
	return out, notes, nil
}

func resolve(p *types.Project, s types.ServiceConfig, i int, w types.Trigger, contextDir string, dockerignore []string) (Trigger, string, error) {
	t := Trigger{Service: s.Name, Index: i, Action: w.Action, Exec: w.Exec, InitialSync: w.InitialSync}
	fail := func(format string, a ...any) (Trigger, string, error) {
		return t, "", fmt.Errorf("%w: %s: %s", ErrBadTrigger, t.Where(), fmt.Sprintf(format, a...))
	}
	if !validAction(w.Action) {
		valid := make([]string, len(Actions))
		for i, a := range Actions {
			valid[i] = string(a)
		}
		return fail("unknown action %q (valid: %s)", w.Action, strings.Join(valid, ", "))
	}
	if w.Path == "" {
		return fail("path is required")
	}
	t.Path = abs(p.WorkingDir, w.Path)
	if _, ok := within(p.WorkingDir, t.Path); !ok {
		return fail("path %s lies outside the project directory %s", w.Path, p.WorkingDir)
	}
	fi, err := os.Stat(t.Path)
	if err != nil {
		if os.IsNotExist(err) {
			return fail("path %s does not exist", t.Path)
		}
		return fail("path %s: %v", t.Path, err)
	}
	t.IsFile = !fi.IsDir()
	if w.Action == types.WatchActionRebuild && s.Build == nil {
		return fail("action rebuild needs a build section, and service %s has none (use restart, or add build:)", s.Name)
	}
	if w.Action == types.WatchActionSyncExec && len(w.Exec.Command) == 0 {
		return fail("action sync+exec needs exec.command")
	}
	if strings.HasPrefix(string(w.Action), "sync") {
		switch {
		case w.Target == "":
			return fail("action %s needs a target (the path in the container)", w.Action)
		case path.IsAbs(w.Target):
			t.Target = path.Clean(w.Target)
		case s.WorkingDir != "":
			t.Target = path.Join(s.WorkingDir, w.Target)
		default:
			return fail("target %s is relative and the service sets no working_dir; make it absolute", w.Target)
		}
	}
	if t.SyncBack, err = syncBackGlobs(w.Extensions[syncBackKey], w.Action); err != nil {
		return fail("%v", err)
	}
	if t.IsFile && len(t.SyncBack) > 0 {
		return fail("%s needs path to be a directory, and %s is a file", syncBackKey, w.Path)
	}
	if t.Match, err = NewMatcher(t.Path, w.Ignore, w.Include, contextDir, dockerignore); err != nil {
		return fail("%v", err)
	}
	note := ""
	if strings.HasPrefix(string(w.Action), "sync") {
		if src, ok := bindMounted(s, t.Path, t.Target); ok {
			t.BindMounted = true
			note = fmt.Sprintf("%s: %s is bind-mounted (%s), so the container sees changes without a sync", t.Where(), rel(p.WorkingDir, t.Path), src)
			if w.Action != types.WatchActionSync {
				note += "; only the " + strings.TrimPrefix(string(w.Action), "sync+") + " runs"
			} else {
				note += "; not watched"
			}
		}
	}
	return t, note, nil
}

func validAction(a types.WatchAction) bool {
	for _, v := range Actions {
		if a == v {
			return true
		}
	}
	return false
}

// bindMounted reports whether host path lies in one of the service's bind
// mounts at the place target names: the container sees it already.
func bindMounted(s types.ServiceConfig, host, target string) (string, bool) {
	for _, v := range s.Volumes {
		if v.Type != types.VolumeTypeBind || v.Source == "" {
			continue
		}
		if rel, ok := within(filepath.Clean(v.Source), host); ok && path.Join(v.Target, filepath.ToSlash(rel)) == target {
			return v.Source + ":" + v.Target, true
		}
	}
	return "", false
}

func abs(dir, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}

// rel shows a path relative to the project directory when it lies inside.
func rel(dir, p string) string {
	if r, ok := within(dir, p); ok {
		return filepath.ToSlash(r)
	}
	return p
}
