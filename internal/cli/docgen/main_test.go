package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// reference is docs/reference, from this package's directory.
const reference = "../../../docs/reference"

// TestReferenceCurrent regenerates the command reference and compares it
// with docs/reference: a changed command or flag without `make docs`
// fails here.
func TestReferenceCurrent(t *testing.T) {
	tmp := t.TempDir()
	if err := generate(tmp); err != nil {
		t.Fatal(err)
	}
	want, err := pageNames(tmp)
	if err != nil {
		t.Fatal(err)
	}
	have, err := pageNames(reference)
	if err != nil {
		t.Fatalf("%v: run make docs", err)
	}
	var stale []string
	for _, name := range want {
		a, _ := os.ReadFile(filepath.Join(tmp, name))
		b, err := os.ReadFile(filepath.Join(reference, name))
		switch {
		case err != nil:
			stale = append(stale, name+" (missing)")
		case !bytes.Equal(a, b):
			stale = append(stale, name+" (differs)")
		}
	}
	for _, name := range have {
		if _, err := os.Stat(filepath.Join(tmp, name)); err != nil {
			stale = append(stale, name+" (no such command)")
		}
	}
	if len(stale) > 0 {
		t.Errorf("docs/reference is stale: run make docs\n\t%s", strings.Join(stale, "\n\t"))
	}
}

func TestWriteRemovesOldPages(t *testing.T) {
	dir := t.TempDir()
	gone := filepath.Join(dir, "devstack_gone.md")
	if err := os.WriteFile(gone, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := write(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(gone); !os.IsNotExist(err) {
		t.Errorf("the page of a command that no longer exists is still there: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "devstack_up.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), header) || strings.Contains(string(b), "Auto generated") {
		t.Errorf("devstack_up.md: want the header and no date footer, got:\n%.300s", b)
	}
}

func TestMachineSpecific(t *testing.T) {
	home, err := os.UserHomeDir()
	if err != nil || len(home) < 2 {
		t.Skip("no home directory")
	}
	if got := machineSpecific("default " + home + "/.cache/devstack"); !strings.Contains(got, "home directory") {
		t.Errorf("a page naming %s/.cache: got %q, want the home directory named", home, got)
	}
	if got := machineSpecific("default: the user cache directory"); got != "" {
		t.Errorf("a neutral page: got %q", got)
	}
}
