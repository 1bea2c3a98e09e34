package watch

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCopyBase(t *testing.T) {
	e := func(targets ...string) []entry {
		var out []entry
		for _, t := range targets {
			out = append(out, entry{target: t})
		}
		return out
	}
	for _, tc := range []struct {
		copies  []entry
		parents []string
		want    string
	}{
		{e("/data/a.txt"), nil, "/data"},
		{e("/data/n/m/f.txt", "/data/a.txt"), []string{"/data/n", "/data/n/m"}, "/data"},
		{e("/data/n/x", "/data/nn/y"), nil, "/data"},
		{e("/data"), nil, "/"}, // the target itself (initial sync)
		{e("/a/x", "/b/y"), nil, "/"},
		{nil, nil, "/"},
	} {
		if got := copyBase(tc.copies, tc.parents); got != tc.want {
			t.Errorf("copyBase(%v, %v) = %s, want %s", tc.copies, tc.parents, got, tc.want)
		}
	}
}

func TestWriteTarAt(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "f.txt"))
	fi, err := os.Lstat(filepath.Join(dir, "f.txt"))
	if err != nil {
		t.Fatal(err)
	}
	copies := []entry{{host: filepath.Join(dir, "f.txt"), target: "/data/n/f.txt", info: fi}}
	var buf bytes.Buffer
	if err := writeTarAt(&buf, "/data", copies, []string{"/data/n"}, 1, 2); err != nil {
		t.Fatal(err)
	}
	var names []string
	tr := tar.NewReader(&buf)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, hdr.Name)
	}
	if got := strings.Join(names, " "); got != "n/ n/f.txt" {
		t.Errorf("names %s, want n/ n/f.txt", got)
	}
}
