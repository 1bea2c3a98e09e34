//go:build !windows

package receiver

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestListAndHash(t *testing.T) {
	dst := t.TempDir()
	h := startReceive(t, dst)
	app := filepath.Join(dst, "app")
	writeFile(t, filepath.Join(app, "a.txt"), "alpha", 0o644)
	writeFile(t, filepath.Join(app, "d/b.txt"), "bravo!", 0o600)
	writeFile(t, filepath.Join(app, TmpPrefix+"x"), "half", 0o600)
	writeFile(t, filepath.Join(dst, "secret"), "outside", 0o600)
	if err := os.Symlink("../secret", filepath.Join(app, "out")); err != nil {
		t.Fatal(err)
	}
	when := time.Date(2021, 1, 2, 3, 4, 5, 600, time.UTC)
	if err := os.Chtimes(filepath.Join(app, "a.txt"), when, when); err != nil {
		t.Fatal(err)
	}
	stats, err := RequestList(h.w, h.acks, "/app")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range stats {
		got = append(got, s.Rel)
		switch s.Rel {
		case "a.txt":
			if s.Size != 5 || s.MTime != when.UnixNano() || s.Mode != 0o644 {
				t.Errorf("a.txt listed as %+v", s)
			}
		case "out":
			if s.Link != "../secret" || s.Mode&os.ModeSymlink == 0 {
				t.Errorf("the symlink listed as %+v", s)
			}
		}
	}
	if want := []string{"a.txt", "d", "d/b.txt", "out"}; !slices.Equal(got, want) {
		t.Errorf("listed %q, want %q", got, want)
	}
	if stats, err := RequestList(h.w, h.acks, "/missing"); err != nil || len(stats) != 0 {
		t.Errorf("a missing directory: %v, %v; want an empty listing", stats, err)
	}
	sums, err := RequestHash(h.w, h.acks, []string{"/app/a.txt", "/app/out", "/app/nope", "/app/d"})
	if err != nil {
		t.Fatal(err)
	}
	if want := sha256.Sum256([]byte("alpha")); !sums[0].OK || sums[0].Sum != want {
		t.Errorf("a.txt's sum %x, want %x", sums[0].Sum, want)
	}
	for i, what := range []string{"a symlink (not followed)", "a missing file", "a directory"} {
		if sums[i+1].OK {
			t.Errorf("%s hashed", what)
		}
	}
	if HashFile(filepath.Join(app, "a.txt")) != sums[0] {
		t.Error("HashFile differs from the receiver's sum")
	}
}

func TestStatsRoundTrip(t *testing.T) {
	in := []Stat{{Rel: "a", Mode: 0o644, Size: 3, MTime: -5}, {Rel: "l", Mode: os.ModeSymlink | 0o777, Link: "x y"}, {Rel: "d\nx", Mode: os.ModeDir | 0o755}}
	out, err := decodeStats(appendStats(nil, in))
	if err != nil || !slices.Equal(out, in) {
		t.Errorf("round trip: %+v %v", out, err)
	}
	for _, bad := range []string{"\x80", "\x01\x02\x03\x05ab", "\x01\x02\x03\x01a\x09"} {
		if _, err := decodeStats([]byte(bad)); err == nil {
			t.Errorf("%q decoded", bad)
		}
	}
	sums := []Sum{{}, {OK: true, Sum: sha256.Sum256(nil)}}
	if got, err := decodeSums(appendSums(nil, sums), 2); err != nil || !slices.Equal(got, sums) {
		t.Errorf("sums: %v %v", got, err)
	}
	if _, err := decodeSums(appendSums(nil, sums), 3); err == nil {
		t.Error("a short answer decoded")
	}
}

func TestMatchGlob(t *testing.T) {
	for _, tc := range []struct {
		glob, rel string
		want      bool
	}{
		{"gen", "gen/a.txt", true},
		{"gen/**", "gen/x/y.go", true},
		{"gen/*.go", "gen/a.go", true},
		{"gen/*.go", "gen/x/a.go", false},
		{"**/*.lock", "a/b/yarn.lock", true},
		{"**/*.lock", "yarn.lock", true},
		{"*.lock", "sub/yarn.lock", false},
		{"migrations", "migrationsX/a", false},
		{"[", "[", false},
	} {
		if got := MatchGlob(tc.glob, tc.rel); got != tc.want {
			t.Errorf("MatchGlob(%q, %q) = %v", tc.glob, tc.rel, got)
		}
	}
}

func TestFollowMissingDir(t *testing.T) {
	h := startReceive(t, t.TempDir())
	if err := RequestFollow(h.w, h.acks, FollowRequest{Dir: "/nope"}); err == nil {
		t.Error("following a missing directory: no error")
	}
}
