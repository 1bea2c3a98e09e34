//go:build linux

package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/devstack/devstack/internal/snapshot/manifest"
)

// fill makes a tree with what a restore must bring back exactly.
func fill(t *testing.T, root string) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "data/sub"), 0o750))
	must(os.Mkdir(filepath.Join(root, "empty"), 0o700))
	must(os.WriteFile(filepath.Join(root, "data/a.txt"), []byte("hello\n"), 0o640))
	must(os.WriteFile(filepath.Join(root, "data/sub/exec"), []byte("#!/bin/sh\n"), 0o4755))
	must(os.Symlink("a.txt", filepath.Join(root, "data/link")))
	must(os.Symlink("/nowhere", filepath.Join(root, "dangling")))
	must(os.Link(filepath.Join(root, "data/a.txt"), filepath.Join(root, "hard")))
	if os.Getuid() == 0 {
		must(os.Lchown(filepath.Join(root, "data/a.txt"), 999, 998))
		must(os.Lchown(filepath.Join(root, "data/link"), 77, 78))
		must(os.Chown(filepath.Join(root, "empty"), 1000, 1000))
	}
	must(os.Chmod(root, 0o711))
}

// listing is `find -printf` of a tree: what must survive a round trip.
func listing(t *testing.T, root string) string {
	t.Helper()
	out, err := exec.Command("find", root, "-printf", "%P %M %U:%G %l %n %s %T@\n").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(out), root, "ROOT")
}

func setup(t *testing.T) (store string) {
	volumesDir = t.TempDir()
	return filepath.Join(t.TempDir(), "proj")
}

func TestSaveRestoreRoundTrip(t *testing.T) {
	store := setup(t)
	vol := filepath.Join(volumesDir, "data")
	fill(t, vol)
	want := listing(t, vol)
	m := manifest.Manifest{Project: "proj", Name: "one", Created: time.Now().UTC(), Volumes: []manifest.Volume{{Key: "data", Name: "proj_data"}}}
	got, err := save(context.Background(), filepath.Join(store, "one"), m)
	if err != nil {
		t.Fatal(err)
	}
	if v := got.Volumes[0]; v.Size == 0 || len(v.SHA256) != 64 || v.Content != 6+10 {
		t.Fatalf("manifest volume %+v", v)
	}
	if _, err := save(context.Background(), filepath.Join(store, "one"), m); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("second save: %v", err)
	}
	// The volume changes; the restore brings it back exactly.
	os.RemoveAll(filepath.Join(vol, "data"))
	os.WriteFile(filepath.Join(vol, "new"), []byte("x"), 0o600)
	os.Chmod(vol, 0o755)
	if _, err := restore(context.Background(), filepath.Join(store, "one"), nil); err != nil {
		t.Fatal(err)
	}
	if after := listing(t, vol); after != want {
		t.Fatalf("restored tree differs:\n%s\nwant:\n%s", after, want)
	}
	ms, err := list(store)
	if err != nil || len(ms) != 1 || ms[0].Name != "one" {
		t.Fatalf("list: %v %+v", err, ms)
	}
	if err := remove([]string{filepath.Join(store, "one")}); err != nil {
		t.Fatal(err)
	}
	if err := remove([]string{filepath.Join(store, "one")}); err == nil {
		t.Fatal("rm of a missing snapshot: no error")
	}
	if ms, _ := list(store); len(ms) != 0 {
		t.Fatalf("after rm: %+v", ms)
	}
}

func TestRestoreDamagedTouchesNothing(t *testing.T) {
	store := setup(t)
	for _, k := range []string{"a", "b"} {
		fill(t, filepath.Join(volumesDir, k))
	}
	m := manifest.Manifest{Name: "s", Volumes: []manifest.Volume{{Key: "a", Name: "p_a"}, {Key: "b", Name: "p_b"}}}
	if _, err := save(context.Background(), filepath.Join(store, "s"), m); err != nil {
		t.Fatal(err)
	}
	// b is damaged: one byte flipped in the middle.
	file := filepath.Join(store, "s", "b.tar.zst")
	data, _ := os.ReadFile(file)
	data[len(data)/2] ^= 0xff
	os.WriteFile(file, data, 0o644)
	os.WriteFile(filepath.Join(volumesDir, "a", "changed"), []byte("keep me"), 0o644)
	before := listing(t, volumesDir)
	_, err := restore(context.Background(), filepath.Join(store, "s"), nil)
	if err == nil || !strings.Contains(err.Error(), "b.tar.zst is damaged (checksum mismatch): nothing restored") {
		t.Fatalf("restore of a damaged snapshot: %v", err)
	}
	if after := listing(t, volumesDir); after != before {
		t.Fatalf("volumes changed:\n%s\nwas:\n%s", after, before)
	}
}

func TestSaveFailureLeavesNothing(t *testing.T) {
	store := setup(t)
	m := manifest.Manifest{Name: "s", Volumes: []manifest.Volume{{Key: "missing", Name: "p_missing"}}}
	if _, err := save(context.Background(), filepath.Join(store, "s"), m); err == nil {
		t.Fatal("save of a missing volume: no error")
	}
	entries, _ := os.ReadDir(store)
	if len(entries) != 0 {
		t.Fatalf("left behind: %v", entries)
	}
	if _, err := save(context.Background(), filepath.Join(store, "a..b"), m); err == nil {
		t.Fatal("a name with .. saved")
	}
}

// A stop (SIGTERM: ctx ends) in the middle of a file leaves nothing.
func TestSaveCancelledLeavesNothing(t *testing.T) {
	store := setup(t)
	vol := filepath.Join(volumesDir, "data")
	os.MkdirAll(vol, 0o755)
	os.WriteFile(filepath.Join(vol, "big"), make([]byte, 64<<20), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(5*time.Millisecond, cancel)
	m := manifest.Manifest{Name: "s", Volumes: []manifest.Volume{{Key: "data", Name: "p_data"}}}
	if _, err := save(ctx, filepath.Join(store, "s"), m); err == nil {
		t.Skip("the save finished before the cancel")
	}
	if entries, _ := os.ReadDir(store); len(entries) != 0 {
		t.Fatalf("left behind: %v", entries)
	}
}
