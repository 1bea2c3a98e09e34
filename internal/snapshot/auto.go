package snapshot

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/volume"

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
	var keys []string
	for _, v := range vols {
		if have[v.Name] {
			existing = append(existing, v)
			keys = append(keys, v.Key)
		}
	}
	if len(existing) == 0 {
		return AutoResult{}, nil
	}
	name := AutoPrefix + now.UTC().Format("2006-01-02T15-04-05")
	o := SaveOptions{Name: name, Volumes: existing, Branch: branch, MaxContent: AutoLimit, Helper: h, Now: func() time.Time { return now }}
	if _, err := Save(ctx, api, p.Name, o, out); err != nil {
		if errors.Is(err, ErrTooBig) {
			return AutoResult{Skipped: err.Error(), Volumes: keys}, nil
		}
		return AutoResult{}, err
	}
	return AutoResult{Name: name, Volumes: keys}, prune(ctx, api, p.Name, h)
}

// prune removes the project's auto- snapshots but the newest AutoKeep.
func prune(ctx context.Context, api Engine, project string, h Helper) error {
	snaps, err := List(ctx, api, project, h)
	if err != nil {
		return err
	}
	var autos []string
	for _, m := range snaps { // oldest first
		if strings.HasPrefix(m.Name, AutoPrefix) {
			autos = append(autos, m.Name)
		}
	}
	if len(autos) <= AutoKeep {
		return nil
	}
	return Remove(ctx, api, project, autos[:len(autos)-AutoKeep], h)
}
