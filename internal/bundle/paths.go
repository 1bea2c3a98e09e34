package bundle

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"
)

// CheckName refuses member names that could land outside the directory
// they are unpacked into: absolute, with "..", not clean, or outside the
// images/, project/ and snapshots/ trees.
func CheckName(name string) error {
	switch {
	case relProblem(name) != "":
		return fmt.Errorf("%w: %q %s", ErrUnsafePath, name, relProblem(name))
	case name == ManifestName:
		return nil
	case strings.HasPrefix(name, SnapshotsPrefix):
		return checkSnapshotMember(name)
	case !strings.HasPrefix(name, ImagesPrefix) && !strings.HasPrefix(name, ProjectPrefix):
		return fmt.Errorf("%w: %q is under none of %s, %s and %s", ErrUnsafePath, name, ImagesPrefix, ProjectPrefix, SnapshotsPrefix)
	}
	return nil
}

// relProblem says why name is no safe relative path inside the directory
// it is taken relative to ("" when it is one).
func relProblem(name string) string {
	switch {
	case strings.Contains(name, "\\"):
		return "contains a backslash, not allowed in an archive's paths"
	case name == "" || strings.HasPrefix(name, "/") || filepath.IsAbs(name):
		return "is not a relative path"
	case hasDotDot(name):
		return "contains .."
	case path.Clean(name) != strings.TrimSuffix(name, "/"):
		return "is not a clean path"
	}
	return ""
}

func hasDotDot(name string) bool {
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return true
		}
	}
	return false
}

// CheckMember checks a member's name, and that only the image export has
// symbolic links (the engine's legacy format links shared layers), each
// pointing inside images/.
func CheckMember(m Member) error {
	if err := CheckName(m.Name); err != nil {
		return err
	}
	switch m.Type {
	case TypeDir:
		if strings.HasPrefix(m.Name, SnapshotsPrefix) {
			return fmt.Errorf("%w: %q is a directory; a snapshot is one file", ErrCorrupt, m.Name)
		}
		return nil
	case TypeFile:
		return nil
	case TypeSymlink:
		if !strings.HasPrefix(m.Name, ImagesPrefix) {
			return fmt.Errorf("%w: %q is a symbolic link; project files must be regular files", ErrUnsafePath, m.Name)
		}
		target := m.Link
		if !path.IsAbs(target) {
			target = path.Join(path.Dir(m.Name), target)
		}
		if path.IsAbs(m.Link) || !strings.HasPrefix(target, ImagesPrefix) {
			return fmt.Errorf("%w: link %q -> %q points outside %s", ErrUnsafePath, m.Name, m.Link, ImagesPrefix)
		}
		return nil
	}
	return fmt.Errorf("%w: %q has unknown type %q", ErrCorrupt, m.Name, m.Type)
}

// ProjectRel turns an absolute path of a project file into its path
// relative to the project directory (slash-separated), refusing what lies
// outside it. what names the file's role for the message ("service web:
// env_file").
func ProjectRel(dir, abs, what string) (string, error) {
	rel, err := filepath.Rel(dir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", fmt.Errorf("%w: %s %s is outside the project directory %s; devstack save stores files relative to the project directory and rewrites no paths: move it into the project", ErrOutsideProject, what, abs, dir)
	}
	return filepath.ToSlash(rel), nil
}
