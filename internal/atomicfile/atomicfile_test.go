package atomicfile

import (
	"os"
	"path/filepath"
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
