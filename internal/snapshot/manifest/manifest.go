// Package manifest is the on-engine format of a snapshot, shared by
// devstack (package snapshot) and the helper program that writes and reads
// it (cmd/devstack-snapshot): standard library only, so the helper stays
// small. A snapshot is a directory STORE/PROJECT/NAME holding one
// KEY.tar.zst per volume (KEY is the compose file's volume key) and
// manifest.json, written last: a directory without it is not a snapshot.
package manifest

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// File is the manifest's name in a snapshot's directory.
const File = "manifest.json"

// ExitTooBig is the helper's exit status for a save over its size limit.
const ExitTooBig = 3

// Suffix ends each volume's archive: tar, then zstd.
const Suffix = ".tar.zst"

// StoreVolume is the engine's volume that holds every project's snapshots,
// one directory a project.
const StoreVolume = "devstack-snapshots"

// Manifest describes one snapshot.
type Manifest struct {
	Project  string    `json:"project"`
	Name     string    `json:"name"`
	Created  time.Time `json:"created"`
	Branch   string    `json:"branch,omitempty"`
	Services []string  `json:"services,omitempty"` // the services that mount the volumes
	Volumes  []Volume  `json:"volumes"`
}

// Volume is one volume in a snapshot.
type Volume struct {
	Key      string `json:"key"`                // the compose file's volume key: the archive is KEY.tar.zst
	Name     string `json:"name"`               // the engine's volume name when saved
	External bool   `json:"external,omitempty"` // an external volume, saved because it was named
	// An anonymous volume (up -V's and rm -v's safety net): the one the
	// container Service-Number mounts at Path; KEY is made of those.
	Anonymous bool   `json:"anonymous,omitempty"`
	Service   string `json:"service,omitempty"`
	Number    int    `json:"number,omitempty"`
	Path      string `json:"path,omitempty"`
	Size      int64  `json:"size"`    // bytes of KEY.tar.zst
	Content   int64  `json:"content"` // bytes of the files' content
	SHA256    string `json:"sha256"`  // of KEY.tar.zst, hex
}

// Size is what the snapshot takes on the engine.
func (m Manifest) Size() int64 {
	var n int64
	for _, v := range m.Volumes {
		n += v.Size
	}
	return n
}

// ErrBadName is a snapshot name or volume key that cannot be a directory
// or file name of the store.
var ErrBadName = errors.New("bad snapshot name")

// CheckName refuses a name (of a snapshot, or a volume key) that is empty,
// too long, starts with a dot or a dash, or holds anything but letters,
// digits, '.', '_', '-' and '+': no '/', no "..".
func CheckName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%w: empty", ErrBadName)
	case strings.Contains(name, "/") || strings.Contains(name, `\`):
		return fmt.Errorf("%w %q: no / or \\ in a name", ErrBadName, name)
	case strings.Contains(name, ".."):
		return fmt.Errorf("%w %q: no .. in a name", ErrBadName, name)
	case len(name) > 128:
		return fmt.Errorf("%w %q: longer than 128 characters", ErrBadName, name)
	case name[0] == '.' || name[0] == '-':
		return fmt.Errorf("%w %q: starts with %q", ErrBadName, name, name[0])
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-+", r)) {
			return fmt.Errorf("%w %q: %q is not allowed (letters, digits, . _ - + only)", ErrBadName, name, r)
		}
	}
	return nil
}
