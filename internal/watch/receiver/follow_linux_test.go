package receiver

import (
	"archive/tar"
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// backBatch reads one batch sent back: name -> content.
func backBatch(t *testing.T, r *bufio.Reader) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := ReadBack(r, func(tr *tar.Reader) error {
		for {
			hdr, err := tr.Next()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			b, _ := io.ReadAll(tr)
			got[hdr.Name] = string(b)
		}
	})
	if err != nil {
		t.Fatalf("ReadBack: %v", err)
	}
	return got
}

func TestFollow(t *testing.T) {
	dst := t.TempDir()
	app := filepath.Join(dst, "app")
	writeFile(t, filepath.Join(app, "gen/old.txt"), "old", 0o644)
	writeFile(t, filepath.Join(dst, "secret"), "outside", 0o600)
	h := startReceive(t, dst)
	req := FollowRequest{Dir: "/app", Globs: []string{"gen", "*.lock"}, Send: []string{"gen/old.txt"}}
	if err := RequestFollow(h.w, h.acks, req); err != nil {
		t.Fatal(err)
	}
	if got := backBatch(t, h.acks); got["gen/old.txt"] != "old" || len(got) != 1 {
		t.Errorf("first batch %q, want gen/old.txt", got)
	}
	// A symlink pointing outside, a file outside the globs, a temporary
	// file, then a new file in a new directory and a lock file.
	if err := os.Symlink("../../secret", filepath.Join(app, "gen/leak")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(app, "other.txt"), "no", 0o644)
	writeFile(t, filepath.Join(app, "gen", TmpPrefix+"x"), "tmp", 0o644)
	writeFile(t, filepath.Join(app, "gen/new/made.txt"), "made", 0o640)
	writeFile(t, filepath.Join(app, "yarn.lock"), "lock", 0o644)
	got := map[string]string{}
	for len(got) < 2 {
		for k, v := range backBatch(t, h.acks) {
			got[k] = v
		}
	}
	want := map[string]string{"gen/new/made.txt": "made", "yarn.lock": "lock"}
	if len(got) != len(want) || got["gen/new/made.txt"] != "made" || got["yarn.lock"] != "lock" {
		t.Errorf("sent back %q, want %q", got, want)
	}
	for name := range got {
		if strings.Contains(name, "leak") || strings.Contains(name, "other") {
			t.Errorf("%s sent back", name)
		}
	}
	h.in.Close()
	if err := <-h.done; err != nil {
		t.Errorf("Serve after the host ended the follow: %v", err)
	}
	h.done <- nil
}
