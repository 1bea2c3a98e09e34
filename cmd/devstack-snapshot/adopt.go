//go:build linux

package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/devstack/devstack/internal/snapshot/manifest"
)

// adopt makes the imported snapshot in stage (a .tmp- directory beside
// dir, which devstack filled through the engine and checked on the way)
// the snapshot dir: its manifest must name dir, hold valid keys and be
// matched by exactly the files in stage, each of the manifest's size; dir
// must not exist. The rename is the one step that makes it a snapshot.
func adopt(stage, dir string) (manifest.Manifest, error) {
	if filepath.Dir(stage) != filepath.Dir(dir) || !strings.HasPrefix(filepath.Base(stage), ".tmp-") {
		return manifest.Manifest{}, fmt.Errorf("adopt: %s is not a staging directory beside %s", stage, dir)
	}
	m, err := readManifest(stage)
	if err != nil {
		return m, err
	}
	if m.Name != filepath.Base(dir) {
		return m, fmt.Errorf("adopt: the manifest names %q, not %q", m.Name, filepath.Base(dir))
	}
	want := []string{manifest.File}
	for _, v := range m.Volumes {
		if err := manifest.CheckName(v.Key); err != nil {
			return m, err
		}
		fi, err := os.Lstat(filepath.Join(stage, v.Key+manifest.Suffix))
		if err != nil || !fi.Mode().IsRegular() || fi.Size() != v.Size {
			return m, fmt.Errorf("adopt: %s%s is missing or not of %d bytes", v.Key, manifest.Suffix, v.Size)
		}
		want = append(want, v.Key+manifest.Suffix)
	}
	entries, err := os.ReadDir(stage)
	if err != nil {
		return m, err
	}
	for _, e := range entries {
		if !slices.Contains(want, e.Name()) {
			return m, fmt.Errorf("adopt: %s is not in the manifest", e.Name())
		}
	}
	if _, err := os.Lstat(dir); err == nil {
		return m, fmt.Errorf("snapshot %s exists (devstack snapshot rm %s first, or import it --name NEW)", m.Name, m.Name)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return m, err
	}
	if err := syncDir(stage); err != nil {
		return m, err
	}
	if err := os.Rename(stage, dir); err != nil {
		return m, err
	}
	return m, syncDir(filepath.Dir(dir))
}

// discard removes a staging directory an import left.
func discard(stage string) error {
	if !strings.HasPrefix(filepath.Base(stage), ".tmp-") {
		return fmt.Errorf("discard: %s is not a staging directory", stage)
	}
	err := os.RemoveAll(stage)
	os.Remove(filepath.Dir(stage)) // the project's directory, once empty
	return err
}
