package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/docker/go-units"

	"github.com/devstack/devstack/internal/bundle"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/snapshot"
)

// engineSnapshots is the engine's side of save --snapshots and of load:
// snapshot export and import, of the project's snapshots.
type engineSnapshots struct{ api dockerapi.API }

func (e engineSnapshots) ExportSnapshot(ctx context.Context, project, name string, w io.Writer) ([]string, error) {
	m, err := snapshot.Export(ctx, e.api, project, name, snapshot.Helper{}, w)
	var keys []string
	for _, v := range m.Volumes {
		keys = append(keys, v.Key)
	}
	return keys, err
}

func (e engineSnapshots) SnapshotNames(ctx context.Context, project string) ([]string, error) {
	snaps, err := snapshot.List(ctx, e.api, project, snapshot.Helper{})
	var names []string
	for _, s := range snaps {
		names = append(names, s.Name)
	}
	return names, err
}

func (e engineSnapshots) ImportSnapshot(ctx context.Context, project, name string, src *bundle.Archive) error {
	_, err := snapshot.Import(ctx, e.api, project, src, name, snapshot.Helper{})
	return err
}

// saveSnapshots names all the project's snapshots for save --snapshots.
func saveSnapshots(ctx context.Context, api dockerapi.API, project string) ([]string, error) {
	names, err := engineSnapshots{api}.SnapshotNames(ctx, project)
	if err != nil {
		return nil, fmt.Errorf("--snapshots: listing the snapshots of project %s: %w", project, err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("--snapshots: project %s has no snapshots (devstack snapshot save takes one)", project)
	}
	return names, nil
}

// savedSnapshots says what save stored of the snapshots ("" for none).
func savedSnapshots(m bundle.Manifest) string {
	if len(m.Snapshots) == 0 {
		return ""
	}
	return fmt.Sprintf(", %d snapshots (%s)", len(m.Snapshots), units.HumanSize(float64(m.SnapshotBytes())))
}
