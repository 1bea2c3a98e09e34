package bundle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/devstack/devstack/internal/snapshot/manifest"
	"github.com/devstack/devstack/internal/termsafe"
)

// Snapshot is one snapshot in an archive: the member
// snapshots/NAME.tar.zst, exactly a snapshot export (snapshot export
// writes it, snapshot import reads it), with its size and SHA-256 as the
// member's.
type Snapshot struct {
	Name    string   `json:"name"`
	Size    int64    `json:"size"`
	SHA256  string   `json:"sha256"`
	Volumes []string `json:"volumes"` // the volume keys, as the snapshot's manifest lists them
}

// Member is the snapshot's member name.
func (s Snapshot) Member() string { return SnapshotMember(s.Name) }

// SnapshotMember is the member name of snapshot name.
func SnapshotMember(name string) string { return SnapshotsPrefix + name + manifest.Suffix }

// ErrSnapshotExists means a snapshot of the archive has the name of one
// the project already has on the engine: load refuses before anything.
var ErrSnapshotExists = errors.New("snapshot exists")

// SnapshotSource is what Save asks of the engine for save --snapshots:
// to write one snapshot's export to w, and name its volumes.
type SnapshotSource interface {
	ExportSnapshot(ctx context.Context, project, name string, w io.Writer) (volumes []string, err error)
}

// SnapshotStore is what Load asks of the engine when an archive holds
// snapshots: the names the project's snapshots have, and to import one
// from its export (src: the member, read once).
type SnapshotStore interface {
	SnapshotNames(ctx context.Context, project string) ([]string, error)
	ImportSnapshot(ctx context.Context, project, name string, src *Archive) error
}

// checkSnapshotMember refuses a member under snapshots/ that is not
// snapshots/NAME.tar.zst with NAME a snapshot name.
func checkSnapshotMember(member string) error {
	name, ok := strings.CutSuffix(strings.TrimPrefix(member, SnapshotsPrefix), manifest.Suffix)
	if !ok || strings.Contains(name, "/") {
		return fmt.Errorf("%w: %q is not %sNAME%s", ErrUnsafePath, termsafe.Name(member), SnapshotsPrefix, manifest.Suffix)
	}
	if err := manifest.CheckName(name); err != nil {
		return fmt.Errorf("%w: %q: %v", ErrUnsafePath, termsafe.Name(member), err)
	}
	return nil
}

// checkSnapshots refuses a manifest whose snapshots and snapshot members
// differ: each snapshot has its member (a file of its size and SHA-256),
// each member its snapshot, every name once.
func (m Manifest) checkSnapshots() error {
	seen := map[string]bool{}
	for _, s := range m.Snapshots {
		if err := manifest.CheckName(s.Name); err != nil {
			return fmt.Errorf("%w: %s field snapshots: %v", ErrInvalidName, ManifestName, err)
		}
		if seen[s.Member()] {
			return fmt.Errorf("%w: %s lists snapshot %s twice", ErrCorrupt, ManifestName, s.Name)
		}
		seen[s.Member()] = true
		i := slices.IndexFunc(m.Members, func(mem Member) bool { return mem.Name == s.Member() })
		if i < 0 || m.Members[i].Type != TypeFile || m.Members[i].Size != s.Size || m.Members[i].SHA256 != s.SHA256 {
			return fmt.Errorf("%w: %s: snapshot %s has no member %s of its size and sha256", ErrCorrupt, ManifestName, s.Name, s.Member())
		}
		for _, v := range s.Volumes {
			if termsafe.Name(v) != v {
				return fmt.Errorf("%w: %s: snapshot %s: volume %q", ErrInvalidName, ManifestName, s.Name, termsafe.Name(v))
			}
		}
	}
	for _, mem := range m.Members {
		if strings.HasPrefix(mem.Name, SnapshotsPrefix) && !seen[mem.Name] {
			return fmt.Errorf("%w: member %s is no snapshot the manifest lists", ErrCorrupt, termsafe.Name(mem.Name))
		}
	}
	return nil
}

// SnapshotBytes adds up the snapshots' sizes.
func (m Manifest) SnapshotBytes() int64 {
	var n int64
	for _, s := range m.Snapshots {
		n += s.Size
	}
	return n
}

// snapshotClashes refuses snapshots of m that the project already has,
// naming them and what to do.
func snapshotClashes(m Manifest, have []string) error {
	var clash []string
	for _, s := range m.Snapshots {
		if slices.Contains(have, s.Name) {
			clash = append(clash, s.Name)
		}
	}
	if len(clash) == 0 {
		return nil
	}
	list := strings.Join(clash, " ")
	return fmt.Errorf("%w: project %s already has snapshot %s: devstack snapshot rm %s and load again, or take %s out of the archive and devstack snapshot import it --name NEW",
		ErrSnapshotExists, m.Project, list, list, SnapshotMember(clash[0]))
}

// addSnapshot writes the export of the project's snapshot name into a
// temporary file first (a tar member's size comes before its content),
// then adds it to w.
func addSnapshot(ctx context.Context, w *Writer, src SnapshotSource, project, name string) error {
	if src == nil {
		return fmt.Errorf("snapshot %s: no snapshot store", name)
	}
	f, err := os.CreateTemp("", "devstack-save-snapshot-*")
	if err != nil {
		return fmt.Errorf("snapshot %s: %w", name, err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	vols, err := src.ExportSnapshot(ctx, project, name, f)
	if err != nil {
		return fmt.Errorf("snapshot %s: %w", name, err)
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		return fmt.Errorf("snapshot %s: %w", name, err)
	}
	return w.AddSnapshot(Snapshot{Name: name, Size: size, Volumes: vols}, time.Now(), f)
}

// checkSnapshotClashes refuses an archive with snapshots when there is
// no store, or one of them exists in it.
func checkSnapshotClashes(ctx context.Context, store SnapshotStore, m Manifest) error {
	if len(m.Snapshots) == 0 {
		return nil
	}
	if store == nil {
		return fmt.Errorf("the archive holds snapshots; this load takes none")
	}
	have, err := store.SnapshotNames(ctx, m.Project)
	if err != nil {
		return fmt.Errorf("listing the snapshots of project %s: %w", m.Project, err)
	}
	return snapshotClashes(m, have)
}

// importSnapshots imports the archive's snapshots, checked members of
// file, in order; an error names the snapshot and those imported before.
func importSnapshots(ctx context.Context, store SnapshotStore, m Manifest, file string, member func(string) io.Reader) error {
	var done []string
	for _, s := range m.Snapshots {
		src := &Archive{name: s.Member() + " of " + file, r: member(s.Member()), size: s.Size, close: func() {}}
		if err := store.ImportSnapshot(ctx, m.Project, s.Name, src); err != nil {
			if len(done) > 0 {
				return fmt.Errorf("snapshot %s not imported (imported: %s): %w", s.Name, strings.Join(done, ", "), err)
			}
			return fmt.Errorf("snapshot %s not imported: %w", s.Name, err)
		}
		done = append(done, s.Name)
	}
	return nil
}
