package watch

import (
	"archive/tar"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
)

func TestBackPath(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, want string
		outside    bool
	}{
		{name: "gen/a.txt", want: filepath.Join(dir, "gen/a.txt")},
		{name: "./x", want: filepath.Join(dir, "x")},
		{name: "../x", outside: true},
		{name: "a/../../x", outside: true},
		{name: "/etc/passwd", outside: true},
		{name: "", outside: true},
		{name: "link/x", outside: true},
		{name: "link", outside: true},
		{name: "file/x"},
	} {
		got, err := backPath(dir, tc.name)
		switch {
		case tc.outside && !errors.Is(err, ErrOutside):
			t.Errorf("%q: %q %v, want ErrOutside", tc.name, got, err)
		case tc.want != "" && (err != nil || got != tc.want):
			t.Errorf("%q: %q %v, want %q", tc.name, got, err, tc.want)
		case tc.want == "" && !tc.outside && err == nil:
			t.Errorf("%q: no error", tc.name)
		}
	}
}

// backRunner is a runner with one sync rule of web, ./app, that syncs
// gen/ back, and what it reports.
func backRunner(t *testing.T) (*runner, *Trigger, *events) {
	dir := t.TempDir()
	out := &events{}
	r := &runner{p: &types.Project{Name: "p", WorkingDir: dir}, out: out, stamps: newStamps()}
	r.deb = NewDebouncer(RealClock{}, time.Hour, time.Hour, func([]string) {})
	t.Cleanup(r.deb.Stop)
	r.triggers = []Trigger{trig(t, "web", types.WatchActionSync, filepath.Join(dir, "app"))}
	tr := &r.triggers[0]
	tr.SyncBack = []string{"gen"}
	return r, tr, out
}

// takeBack: a new file is written; an echo of the host's own content is
// not; a host file changed since its last sync keeps the host's version
// and gets the container's beside it, with one warning.
func TestTakeBack(t *testing.T) {
	r, tr, out := backRunner(t)
	if err := os.MkdirAll(tr.Path, 0o755); err != nil {
		t.Fatal(err)
	}
	take := func(name, content string) string {
		t.Helper()
		hdr := &tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o640, Size: int64(len(content)), ModTime: time.Unix(1e9, 0)}
		host, err := r.takeBack(tr, hdr, strings.NewReader(content), false)
		if err != nil {
			t.Fatalf("takeBack %s: %v", name, err)
		}
		return host
	}
	gen := filepath.Join(tr.Path, "gen/new.txt")
	if host := take("gen/new.txt", "made"); host != gen {
		t.Fatalf("written to %q", host)
	}
	if b, _ := os.ReadFile(gen); string(b) != "made" {
		t.Errorf("host file holds %q", b)
	}
	if fi, _ := os.Stat(gen); fi.Mode().Perm() != 0o640 || !fi.ModTime().Equal(time.Unix(1e9, 0)) {
		t.Errorf("mode %v, time %v: want the container's", fi.Mode(), fi.ModTime())
	}
	if !r.stamps.justWrote(gen) {
		t.Error("the write's own file event would sync it back in")
	}
	if host := take("gen/new.txt", "made"); host != "" {
		t.Errorf("an echo was written to %q", host)
	}
	// Synced since (unchanged on the host): the container's change is taken.
	if host := take("gen/new.txt", "changed in the container"); host != gen {
		t.Errorf("an unchanged host file was not updated: %q", host)
	}
	// Changed on the host since: a conflict.
	if err := os.WriteFile(gen, []byte("the host's edit"), 0o644); err != nil {
		t.Fatal(err)
	}
	if host := take("gen/new.txt", "the container's edit"); host != gen+".container" {
		t.Errorf("conflict written to %q", host)
	}
	if b, _ := os.ReadFile(gen); string(b) != "the host's edit" {
		t.Errorf("host's version replaced: %q", b)
	}
	if b, _ := os.ReadFile(gen + ".container"); string(b) != "the container's edit" {
		t.Errorf("container's version: %q", b)
	}
	warned := 0
	for _, l := range out.lines {
		if strings.Contains(l, "changed in the container and on the host") {
			warned++
		}
	}
	if warned != 1 {
		t.Errorf("%d warnings, want 1: %q", warned, out.lines)
	}
}

// A file sent back is named by the container: control characters in its
// name (and in an error's text that holds it) are printed escaped in the
// conflict warning and in "not brought back", never sent to the terminal.
func TestTakeBackEscapesNames(t *testing.T) {
	r, tr, out := backRunner(t)
	const name = "gen/a\x1b]0;pwned\x07.txt"
	if err := os.MkdirAll(filepath.Join(tr.Path, "gen"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tr.Path, name), []byte("the host's"), 0o644); err != nil {
		t.Fatal(err)
	}
	hdr := &tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: 11}
	if _, err := r.takeBack(tr, hdr, strings.NewReader("container's"), true); err != nil {
		t.Fatal(err)
	}
	// A file where the name needs a directory: the error names the host path.
	hdr = &tar.Header{Name: name + "/x\x1b[2J", Typeflag: tar.TypeReg, Mode: 0o644, Size: 1}
	_, err := r.takeBack(tr, hdr, strings.NewReader("x"), false)
	if err == nil {
		t.Fatal("written under a file")
	}
	r.notBack(tr, hdr.Name, err)
	if len(out.lines) != 2 {
		t.Fatalf("lines %q, want the conflict and the refusal", out.lines)
	}
	for _, l := range out.lines {
		if strings.ContainsAny(l, "\x1b\x07") || !strings.Contains(l, `a\x1b]0;pwned\a.txt`) {
			t.Errorf("line %q: want the name escaped", l)
		}
	}
}
