package watch

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/presets"
)

// presetTriggers returns the default triggers of a preset service that sets
// no develop section (presets.WatchDefaults), and notes for the user:
// which default applies, what file would enable one, and that a
// bind-mounted project directory is live without any sync. Such a trigger
// syncs at start and then runs its exec or restart, so the file takes
// effect at once.
func presetTriggers(p *types.Project, s types.ServiceConfig) ([]types.Trigger, []string) {
	if !presets.IsPreset(s.Extensions) {
		return nil, nil
	}
	defaults, err := presets.WatchDefaults(s.Extensions)
	if err != nil {
		return nil, []string{fmt.Sprintf("service %s: %v", s.Name, err)}
	}
	var out []types.Trigger
	var notes []string
	for _, v := range s.Volumes {
		if v.Type == types.VolumeTypeBind && filepath.Clean(v.Source) == filepath.Clean(p.WorkingDir) {
			notes = append(notes, fmt.Sprintf("service %s: the project directory is bind-mounted at %s, so its changes are live without a sync", s.Name, v.Target))
		}
	}
	for _, w := range defaults {
		path := abs(p.WorkingDir, w.Path)
		if _, err := os.Stat(path); err != nil {
			if w.Hint != "" {
				notes = append(notes, fmt.Sprintf("service %s: %s", s.Name, w.Hint))
			}
			continue
		}
		t := types.Trigger{Path: path, Action: types.WatchAction(w.Action), Target: w.Target, InitialSync: true}
		if len(w.Exec) > 0 {
			t.Exec = types.ServiceHook{Command: w.Exec}
		}
		out = append(out, t)
		what := w.Action
		if len(w.Exec) > 0 {
			what = fmt.Sprintf("%s (%v)", w.Action, w.Exec)
		}
		notes = append(notes, fmt.Sprintf("service %s: preset default: %s goes to %s, then %s", s.Name, w.Path, w.Target, what))
	}
	return out, notes
}
