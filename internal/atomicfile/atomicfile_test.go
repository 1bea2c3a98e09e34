package atomicfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteAll(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := os.WriteFile(a, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteAll(File{a, []byte("new a"), 0o644}, File{b, []byte("new b"), 0o600}); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{a: "new a", b: "new b"} {
		got, err := os.ReadFile(path)
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", path, got, err, want)
		}
	}
	if fi, _ := os.Stat(a); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", fi.Mode())
	}
	// A file that cannot be written: nothing replaced, no temporary left.
	err := WriteAll(File{a, []byte("newer"), 0o644}, File{filepath.Join(dir, "missing", "c"), nil, 0o644})
	if err == nil {
		t.Fatal("no error")
	}
	if got, _ := os.ReadFile(a); string(got) != "new a" {
		t.Errorf("a replaced although c failed: %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("left in the directory: %v", entries)
	}
}

func TestWriter(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.tar")
	w, err := Create(path, 0o640)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("part"))
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the file is there before Commit: %v", err)
	}
	w.Write([]byte(" two"))
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	w.Abort() // after Commit: nothing
	got, err := os.ReadFile(path)
	fi, _ := os.Stat(path)
	if err != nil || string(got) != "part two" || fi.Mode().Perm() != 0o640 {
		t.Errorf("%s = %q %v, %v", path, got, fi.Mode(), err)
	}
	// Abort leaves nothing, and the file written before stays.
	w, err = Create(path, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("partial"))
	w.Abort()
	if got, _ := os.ReadFile(path); string(got) != "part two" {
		t.Errorf("aborted write replaced the file: %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left in the directory: %v", entries)
	}
	if _, err := Create(filepath.Join(dir, "missing", "x"), 0o644); err == nil || !strings.Contains(err.Error(), "writing "+filepath.Join(dir, "missing", "x")) {
		t.Errorf("error does not name the file: %v", err)
	}
}
