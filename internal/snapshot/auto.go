package snapshot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/volume"

	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/progress"
)

const (
	// AutoKeep is how many auto- snapshots a project keeps.
	AutoKeep = 3
	// AutoLimit is the most file content an auto- snapshot copies.
	AutoLimit = 2 << 30
)

// AutoResult is what AutoSave did: a snapshot Name, or why none (Skipped),
// or nothing to do (both empty).
type AutoResult struct {
	Name    string
	Volumes []string
	Skipped string
}

// AutoSave is the safety net of the commands that remove the project's
// named volumes (down -v): a snapshot auto-TIME of those that exist,
// skipped when they hold more than AutoLimit, and the project's auto-
// snapshots pruned to the newest AutoKeep.
func AutoSave(ctx context.Context, api SaveEngine, p *types.Project, branch string, now time.Time, h Helper, out progress.Progress) (AutoResult, error) {
	vols, err := Volumes(p, nil, nil)
	if errors.Is(err, ErrNoVolumes) {
		return AutoResult{}, nil
	}
	if err != nil {
		return AutoResult{}, err
	}
	list, err := api.VolumeList(ctx, volume.ListOptions{})
	if err != nil {
		return AutoResult{}, err
	}
	have := map[string]bool{}
	for _, v := range list.Volumes {
		have[v.Name] = true
	}
	var existing []Volume
	for _, v := range vols {
		if have[v.Name] {
			existing = append(existing, v)
		}
	}
	return autoSave(ctx, api, p.Name, existing, branch, now, h, out)
}

// AutoSaveAnonymous is the safety net of up -V and rm -v, which remove
// the anonymous volumes of the containers cs: a snapshot auto-TIME of
// those that hold data (snapshot restore puts it into the volumes the
// same containers mount then), on AutoSave's terms.
func AutoSaveAnonymous(ctx context.Context, api SaveEngine, p *types.Project, cs []plan.Container, now time.Time, h Helper, out progress.Progress) (AutoResult, error) {
	vols := AnonymousVolumes(p, cs)
	if len(vols) == 0 {
		return AutoResult{}, nil
	}
	args := []string{"du"}
	for _, v := range vols {
		args = append(args, v.Key)
	}
	j, err := h.prepare(ctx, api, p.Name, vols, true, args...)
	if err != nil {
		return AutoResult{}, err
	}
	stdout, err := j.run(ctx)
	j.remove(ctx)
	if err != nil {
		return AutoResult{}, err
	}
	var sizes map[string]int64
	if err := json.Unmarshal(stdout, &sizes); err != nil {
		return AutoResult{}, fmt.Errorf("%w: its sizes: %v", ErrHelper, err)
	}
	var full []Volume
	for _, v := range vols {
		if sizes[v.Key] > 0 {
			full = append(full, v)
		}
	}
	return autoSave(ctx, api, p.Name, full, "", now, h, out)
}

// autoSave saves vols (none: nothing) as auto-TIME, unique, within
// AutoLimit, and prunes the project's auto- snapshots.
func autoSave(ctx context.Context, api SaveEngine, project string, vols []Volume, branch string, now time.Time, h Helper, out progress.Progress) (AutoResult, error) {
	if len(vols) == 0 {
		return AutoResult{}, nil
	}
	keys := make([]string, len(vols))
	for i, v := range vols {
		keys[i] = v.Key
	}
	snaps, err := List(ctx, api, project, h)
	if err != nil {
		return AutoResult{}, err
	}
	taken := make([]string, len(snaps))
	for i, m := range snaps {
		taken[i] = m.Name
	}
	name := UniqueName(AutoPrefix+now.UTC().Format("2006-01-02T15-04-05"), taken)
	o := SaveOptions{Name: name, Volumes: vols, Branch: branch, MaxContent: AutoLimit, Helper: h, Now: func() time.Time { return now }}
	if _, err := Save(ctx, api, project, o, out); err != nil {
		if errors.Is(err, ErrTooBig) {
			return AutoResult{Skipped: err.Error(), Volumes: keys}, nil
		}
		return AutoResult{}, err
	}
	return AutoResult{Name: name, Volumes: keys}, prune(ctx, api, project, append(taken, name), h)
}

// UniqueName is base, or base-2, base-3... the first that taken does not
// hold: two safety snapshots in the same second.
func UniqueName(base string, taken []string) string {
	name := base
	for i := 2; slices.Contains(taken, name); i++ {
		name = fmt.Sprintf("%s-%d", base, i)
	}
	return name
}

// prune removes the project's auto- snapshots but the newest AutoKeep;
// names are all the project's, oldest first.
func prune(ctx context.Context, api Engine, project string, names []string, h Helper) error {
	var autos []string
	for _, n := range names { // oldest first
		if strings.HasPrefix(n, AutoPrefix) {
			autos = append(autos, n)
		}
	}
	if len(autos) <= AutoKeep {
		return nil
	}
	return Remove(ctx, api, project, autos[:len(autos)-AutoKeep], h)
}
