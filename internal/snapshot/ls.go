package snapshot

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/devstack/devstack/internal/snapshot/manifest"
)

// List answers the project's snapshots on the engine, oldest first.
func List(ctx context.Context, api Engine, project string, h Helper) ([]manifest.Manifest, error) {
	j, err := h.prepare(ctx, api, project, nil, true, "ls", dir(project, ""))
	if err != nil {
		return nil, err
	}
	defer j.remove(ctx)
	stdout, err := j.run(ctx)
	if err != nil {
		return nil, err
	}
	var out []manifest.Manifest
	if err := json.Unmarshal(stdout, &out); err != nil {
		return nil, fmt.Errorf("%w: its list: %v", ErrHelper, err)
	}
	return out, nil
}

// Remove removes the project's snapshots names; none is removed when one
// of them does not exist.
func Remove(ctx context.Context, api Engine, project string, names []string, h Helper) error {
	args := []string{"rm"}
	for _, n := range names {
		if err := CheckName(n); err != nil {
			return err
		}
		args = append(args, dir(project, n))
	}
	j, err := h.prepare(ctx, api, project, nil, false, args...)
	if err != nil {
		return err
	}
	defer j.remove(ctx)
	_, err = j.run(ctx)
	return err
}

// Find picks the snapshot name (latest: the newest) among snaps, oldest
// first as List answers them.
func Find(snaps []manifest.Manifest, project, name string, latest bool) (manifest.Manifest, error) {
	if latest {
		if len(snaps) == 0 {
			return manifest.Manifest{}, fmt.Errorf("%w: project %s has none (devstack snapshot save takes one)", ErrNoSnapshot, project)
		}
		return snaps[len(snaps)-1], nil
	}
	if err := CheckName(name); err != nil {
		return manifest.Manifest{}, err
	}
	i := slices.IndexFunc(snaps, func(m manifest.Manifest) bool { return m.Name == name })
	if i < 0 {
		return manifest.Manifest{}, fmt.Errorf("%w %s in project %s (devstack snapshot ls lists them)", ErrNoSnapshot, name, project)
	}
	return snaps[i], nil
}
