package bundle

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/loader"

	"github.com/devstack/devstack/internal/termsafe"
)

// FormatVersion is the archive format this devstack writes and the newest
// it reads. Bump it when a reader of the old version would misread a new
// archive. Format 2 brought the long-distance match layer between the tar
// and zstd (--compression zstd-long since; zstd is a plain tar in zstd
// again); a format 1 archive (a plain tar in zstd) still loads. Format 3
// may hold snapshots (snapshots/NAME.tar.zst, save --snapshots), which a
// format 2 reader would refuse as unsafe paths: an archive without them is
// still written as format 2 (Writer.Close), so older devstacks load it,
// and refuse one with them by its format first. The compression is no
// part of the format: readers tell it by magic bytes.
const FormatVersion = 3

// formatNoSnapshots is the format of an archive without snapshots.
const formatNoSnapshots = 2

// ManifestName is the archive's last member.
const ManifestName = "devstack-manifest.json"

// Prefixes of the members: the engine's image export under images/, the
// project's files (relative to its directory) under project/, snapshots
// (each a snapshot export, NAME.tar.zst) under snapshots/.
const (
	ImagesPrefix    = "images/"
	ProjectPrefix   = "project/"
	SnapshotsPrefix = "snapshots/"
)

// Manifest describes an archive: what it was made from and every member.
type Manifest struct {
	Format   int    `json:"format"`
	Devstack string `json:"devstack"`
	Project  string `json:"project"`
	// Services are the services saved (with their dependencies); Selected
	// what was named on the command line (empty: the whole project), and
	// Presets the names of those that came from the catalogue.
	Services []string `json:"services"`
	Selected []string `json:"selected,omitempty"`
	Presets  []string `json:"presets,omitempty"`
	// ComposeFiles and EnvFiles are relative to the project directory;
	// EnvFiles only when --env-file named them.
	ComposeFiles []string `json:"compose_files,omitempty"`
	EnvFiles     []string `json:"env_files,omitempty"`
	// EmptyDirs are bind-mounted directories whose content was left out
	// (no --include-dir): load creates them empty.
	EmptyDirs []string `json:"empty_dirs,omitempty"`
	Images    []Image  `json:"images"`
	// Snapshots are the project's snapshots (save --snapshots), one
	// member each; load imports them after the images and files.
	Snapshots []Snapshot `json:"snapshots,omitempty"`
	Members   []Member   `json:"members"`
	// ExportTags are the tags the image export gives its images, as it
	// spells them: what a load tags. Read from the export, never stored.
	ExportTags []string `json:"-"`
}

// Image is one image of the export.
type Image struct {
	ID       string   `json:"id"`
	Ref      string   `json:"ref"` // what the services name
	Tags     []string `json:"tags,omitempty"`
	Platform string   `json:"platform,omitempty"`
	Services []string `json:"services"`
}

// Member is one tar member other than the manifest.
type Member struct {
	Name   string `json:"name"`
	Type   string `json:"type"` // file, dir or symlink
	Size   int64  `json:"size,omitempty"`
	Mode   int64  `json:"mode,omitempty"`
	Link   string `json:"link,omitempty"`
	SHA256 string `json:"sha256,omitempty"` // of a file's content
}

// Member types.
const (
	TypeFile    = "file"
	TypeDir     = "dir"
	TypeSymlink = "symlink"
)

// Encode renders the manifest as indented JSON.
func (m Manifest) Encode() ([]byte, error) { return json.MarshalIndent(m, "", "  ") }

// DecodeManifest parses a manifest and refuses a format newer than this
// devstack reads, before looking at anything else in it.
func DecodeManifest(b []byte) (Manifest, error) {
	var head struct {
		Format   int    `json:"format"`
		Devstack string `json:"devstack"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return Manifest{}, fmt.Errorf("%w: %s: %v", ErrCorrupt, ManifestName, err)
	}
	if err := CheckFormat(head.Format, head.Devstack); err != nil {
		return Manifest{}, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return Manifest{}, fmt.Errorf("%w: %s: %v", ErrCorrupt, ManifestName, err)
	}
	return m, m.check()
}

// CheckFormat refuses archive formats this devstack cannot read.
func CheckFormat(format int, writer string) error {
	switch {
	case format > FormatVersion:
		return fmt.Errorf("%w: format %d (written by devstack %s); this devstack reads format %d and older: load it with a newer devstack", ErrNewerFormat, format, termsafe.Name(writer), FormatVersion)
	case format < 1:
		return fmt.Errorf("%w: %s has no format version", ErrCorrupt, ManifestName)
	}
	return nil
}

// check validates what the manifest says: its members, its project name
// (the directory load writes into by default) and the project's paths,
// all before anything is loaded.
func (m Manifest) check() error {
	if err := m.checkMembers(); err != nil {
		return err
	}
	if err := m.checkSnapshots(); err != nil {
		return err
	}
	if loader.NormalizeProjectName(m.Project) != m.Project || m.Project == "" {
		return fmt.Errorf("%w: %s field project: %q is not a project name (lower-case letters, digits, - and _, starting with a letter or digit)", ErrInvalidName, ManifestName, m.Project)
	}
	for _, f := range []struct {
		field string
		paths []string
	}{{"compose_files", m.ComposeFiles}, {"env_files", m.EnvFiles}, {"empty_dirs", m.EmptyDirs}} {
		for _, p := range f.paths {
			if why := relProblem(p); why != "" {
				return fmt.Errorf("%w: %s field %s: %q %s", ErrUnsafePath, ManifestName, f.field, p, why)
			}
		}
	}
	return nil
}

// checkMembers validates what the manifest says about its members.
func (m Manifest) checkMembers() error {
	seen := map[string]bool{}
	for _, mem := range m.Members {
		if seen[mem.Name] {
			return fmt.Errorf("%w: %s lists %s twice", ErrCorrupt, ManifestName, termsafe.Name(mem.Name))
		}
		seen[mem.Name] = true
		if err := CheckMember(mem); err != nil {
			return err
		}
	}
	return nil
}

// ProjectFiles are the project members, relative to the project directory.
func (m Manifest) ProjectFiles() []Member {
	var out []Member
	for _, mem := range m.Members {
		if rel, ok := strings.CutPrefix(mem.Name, ProjectPrefix); ok && rel != "" {
			mem.Name = rel
			out = append(out, mem)
		}
	}
	return out
}

// ImageBytes adds up the sizes of the image export's files.
func (m Manifest) ImageBytes() int64 {
	var n int64
	for _, mem := range m.Members {
		if strings.HasPrefix(mem.Name, ImagesPrefix) {
			n += mem.Size
		}
	}
	return n
}

// ImageIDs lists the images' IDs, sorted.
func (m Manifest) ImageIDs() []string {
	var ids []string
	for _, im := range m.Images {
		ids = append(ids, im.ID)
	}
	slices.Sort(ids)
	return ids
}
