package watch

import (
	"archive/tar"
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

func TestSyncPlan(t *testing.T) {
	dir := t.TempDir()
	mustMkdir(t, filepath.Join(dir, "new", "deep"))
	write(t, filepath.Join(dir, "new", "deep", "a.txt"))
	write(t, filepath.Join(dir, "new", "skip.log"))
	write(t, filepath.Join(dir, "index.html"))
	tr := trig(t, "web", types.WatchActionSync, dir, "**/*.log")
	tr.Target = "/www"
	k := newKnown()
	k.add(filepath.Join(dir, "gone.txt"), filepath.Join(dir, "index.html"))

	copies, deletes, err := syncPlan(&tr, []string{
		filepath.Join(dir, "index.html"),
		filepath.Join(dir, "new"),
		filepath.Join(dir, "gone.txt"),
		filepath.Join(dir, ".tmp-never-synced"), // vanished, never known: nothing to do
	}, k)
	if err != nil {
		t.Fatal(err)
	}
	var targets []string
	for _, c := range copies {
		targets = append(targets, c.target)
	}
	if got, want := strings.Join(targets, " "), "/www/index.html /www/new /www/new/deep /www/new/deep/a.txt"; got != want {
		t.Errorf("copies %s, want %s", got, want)
	}
	if len(deletes) != 1 || deletes[0] != filepath.Join(dir, "gone.txt") {
		t.Errorf("deletes %v", deletes)
	}
	if parents := missingParents(&tr, copies, k); len(parents) != 0 {
		t.Errorf("missing parents %v, but they are copied", parents)
	}
	// A file whose new directories are not part of the batch brings them.
	only, _, err := syncPlan(&tr, []string{filepath.Join(dir, "new", "deep", "a.txt")}, k)
	if err != nil {
		t.Fatal(err)
	}
	parents := missingParents(&tr, only, k)
	if got, want := strings.Join(parents, " "), "/www/new /www/new/deep"; got != want {
		t.Errorf("missing parents %s, want %s", got, want)
	}

	var buf bytes.Buffer
	if err := writeTar(&buf, only, parents, 1234, 5678); err != nil {
		t.Fatal(err)
	}
	tarRd := tar.NewReader(&buf)
	var names []string
	for {
		h, err := tarRd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Uid != 1234 || h.Gid != 5678 {
			t.Errorf("%s owned by %d:%d", h.Name, h.Uid, h.Gid)
		}
		names = append(names, h.Name)
	}
	if got, want := strings.Join(names, " "), "www/new/ www/new/deep/ www/new/deep/a.txt"; got != want {
		t.Errorf("tar entries %s, want %s", got, want)
	}
}

func TestDedupeNested(t *testing.T) {
	got := dedupeNested([]string{"/a", "/a/b", "/ab", "/c/d", "/c/d/e/f"})
	if strings.Join(got, " ") != "/a /ab /c/d" {
		t.Errorf("got %v", got)
	}
}

func TestLookupUser(t *testing.T) {
	passwd := []byte("root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\napp:x:1000:1001::/home/app:/bin/sh\n")
	group := []byte("root:x:0:\nstaff:x:50:\n")
	if u, g, ok := lookupPasswd(passwd, "www-data"); !ok || u != 33 || g != 33 {
		t.Errorf("www-data: %d %d %v", u, g, ok)
	}
	if u, g, ok := lookupPasswd(passwd, "1000"); !ok || u != 1000 || g != 1001 {
		t.Errorf("1000: %d %d %v", u, g, ok)
	}
	if _, _, ok := lookupPasswd(passwd, "nobody"); ok {
		t.Error("nobody found")
	}
	if g, ok := lookupGroup(group, "staff"); !ok || g != 50 {
		t.Errorf("staff: %d %v", g, ok)
	}
}
