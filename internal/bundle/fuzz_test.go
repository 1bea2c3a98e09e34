package bundle

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzManifest: any manifest decodes or is refused with one of the
// package's errors, without a panic; one that decodes is safe to act on:
// its project directory lies under the current one, and every member and
// path it names is relative, clean and inside its tree.
func FuzzManifest(f *testing.F) {
	f.Add([]byte(`{"format": 2, "devstack": "t", "project": "shop", "compose_files": ["compose.yaml"], "env_files": ["e/.env"], "empty_dirs": ["data"],
		"images": [{"id": "sha256:ab", "ref": "shop-web:1", "tags": ["shop-web:1"]}],
		"members": [{"name": "images/aaa/", "type": "dir"}, {"name": "images/bbb/layer.tar", "type": "symlink", "link": "../aaa/layer.tar"}, {"name": "project/compose.yaml", "type": "file", "size": 3, "sha256": "00"}]}`))
	f.Add([]byte(`{"format": 1, "project": "../x", "members": []}`))
	f.Add([]byte(`{"format": 2, "project": "p", "compose_files": ["a\\b"], "members": [{"name": "project/..", "type": "file"}]}`))
	f.Add([]byte(`{"format": 9, "devstack": "\u001b[2J"}`))
	wd, err := os.Getwd()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := DecodeManifest(b)
		if err != nil {
			for _, want := range []error{ErrCorrupt, ErrNewerFormat, ErrUnsafePath, ErrInvalidName} {
				if errors.Is(err, want) {
					return
				}
			}
			t.Fatalf("unexpected error: %v", err)
		}
		dir, err := TargetDir(m, "")
		if err != nil || filepath.Dir(dir) != wd {
			t.Fatalf("project %q: directory %s, %v", m.Project, dir, err)
		}
		for _, mem := range m.Members {
			if CheckMember(mem) != nil {
				t.Fatalf("member %q passed", mem.Name)
			}
		}
		for _, p := range append(append(append([]string{}, m.ComposeFiles...), m.EnvFiles...), m.EmptyDirs...) {
			if filepath.IsAbs(p) || strings.Contains(p, "\\") || filepath.Clean(p) == ".." || strings.HasPrefix(filepath.Clean(p), "../") {
				t.Fatalf("path %q passed", p)
			}
		}
		if enc, err := m.Encode(); err != nil {
			t.Fatal(err)
		} else if _, err := DecodeManifest(enc); err != nil {
			t.Fatalf("re-encoded manifest refused: %v", err)
		}
	})
}

// FuzzArchive: any archive stream (of known size, as a file is), read as
// load reads it, is accepted or refused with one of the package's errors,
// without a panic; its members never give more than an archive of its
// size may expand to (budgetFor), whatever their headers and the
// long-distance match records claim.
func FuzzArchive(f *testing.F) {
	for _, c := range []Compression{None, Gzip, Zstd, ZstdLong} {
		f.Add(writeArchive(f, c, FormatVersion))
	}
	f.Add(bombArchive(f, 3<<30))
	f.Add(bombArchive(f, 1<<20))
	f.Fuzz(func(t *testing.T, in []byte) {
		var n int64
		err := walk(sized{bytes.NewReader(in), int64(len(in))}, func(_ Member, content io.Reader) error {
			got, err := io.Copy(io.Discard, content)
			n += got
			return err
		})
		if n > budgetFor(int64(len(in))) {
			t.Fatalf("%d bytes of members from %d bytes, over the budget %d", n, len(in), budgetFor(int64(len(in))))
		}
		knownErr(t, err)
		_, err = Verify(sized{bytes.NewReader(in), int64(len(in))})
		knownErr(t, err)
	})
}

// knownErr fails unless err is nil or one of the package's errors.
func knownErr(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, want := range []error{ErrCorrupt, ErrChecksum, ErrNewerFormat, ErrUnsafePath, ErrInvalidName, ErrUndeclaredTag, ErrTooLarge} {
		if errors.Is(err, want) {
			return
		}
	}
	t.Fatalf("unexpected error: %v", err)
}
