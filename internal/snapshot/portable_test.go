package snapshot

import (
	"archive/tar"
	"bytes"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/devstack/devstack/internal/snapshot/manifest"
)

func TestCheckImported(t *testing.T) {
	sum := strings.Repeat("ab", 32)
	good := func() manifest.Manifest {
		return manifest.Manifest{Name: "s1", Project: "p", Volumes: []manifest.Volume{{Key: "data", Name: "p_data", Size: 100, Content: 5000, SHA256: sum}}}
	}
	for _, tc := range []struct {
		name string
		edit func(*manifest.Manifest)
		want string // "" when accepted
	}{
		{"good", func(*manifest.Manifest) {}, ""},
		{"bad name", func(m *manifest.Manifest) { m.Name = "../up" }, `bad snapshot name "../up"`},
		{"no volumes", func(m *manifest.Manifest) { m.Volumes = nil }, "0 volumes"},
		{"key with slash", func(m *manifest.Manifest) { m.Volumes[0].Key = "a/b" }, `volume key: bad snapshot name "a/b"`},
		{"key twice", func(m *manifest.Manifest) { m.Volumes = append(m.Volumes, m.Volumes[0]) }, "volume data twice"},
		{"empty archive", func(m *manifest.Manifest) { m.Volumes[0].Size = 0 }, "size 0"},
		{"bomb", func(m *manifest.Manifest) { m.Volumes[0].Content = 1 << 40 }, "decompression bomb"},
		{"short sum", func(m *manifest.Manifest) { m.Volumes[0].SHA256 = "abc" }, "not 64 hex digits"},
		{"not hex", func(m *manifest.Manifest) { m.Volumes[0].SHA256 = strings.Repeat("zz", 32) }, "not 64 hex digits"},
		{"escape in a name", func(m *manifest.Manifest) { m.Volumes[0].Name = "x\x1b[2J" }, "volume data: name"},
		{"escape in the branch", func(m *manifest.Manifest) { m.Branch = "\x1b]0;x\a" }, "is no name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := good()
			tc.edit(&m)
			err := CheckImported(m)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// volArchive is a KEY.tar.zst of the entries.
func volArchive(t *testing.T, hdrs ...*tar.Header) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := zstd.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, h := range hdrs {
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			tw.Write(bytes.Repeat([]byte("x"), int(h.Size)))
		}
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

func TestCheckVolumeArchive(t *testing.T) {
	dir := func(n string) *tar.Header { return &tar.Header{Name: n, Typeflag: tar.TypeDir, Mode: 0o755} }
	file := func(n string, size int64) *tar.Header {
		return &tar.Header{Name: n, Typeflag: tar.TypeReg, Mode: 0o644, Size: size}
	}
	for _, tc := range []struct {
		name    string
		hdrs    []*tar.Header
		content int64
		want    string
	}{
		{"good", []*tar.Header{dir("./"), dir("./d/"), file("./d/f", 10), {Name: "./d/l", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd"}, {Name: "./h", Typeflag: tar.TypeLink, Linkname: "./d/f"}}, 10, ""},
		{"dot dot", []*tar.Header{file("./../escape", 1)}, 1, "contains .."},
		{"absolute", []*tar.Header{file("/etc/cron.d/x", 1)}, 1, "not a relative path"},
		{"hard link out", []*tar.Header{{Name: "./h", Typeflag: tar.TypeLink, Linkname: "../../etc/shadow"}}, 0, "hard link"},
		{"device", []*tar.Header{{Name: "./sda", Typeflag: tar.TypeBlock, Devmajor: 8}}, 0, "device file"},
		{"more content than declared", []*tar.Header{file("./f", 100)}, 10, "more than the 10 bytes"},
		{"less content than declared", []*tar.Header{file("./f", 10)}, 100, "hold 10 bytes, the manifest says 100"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := volArchive(t, tc.hdrs...)
			err := checkVolumeArchive(bytes.NewReader(data), manifest.Volume{Key: "data", Size: int64(len(data)), Content: tc.content})
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
	// A bomb: 4 MiB of zeros from a few KiB, over a budget of 1 MiB
	// (bundle's is 1000 times the size, 64 MiB at least).
	defer func(b func(int64) int64) { expansionBudget = b }(expansionBudget)
	expansionBudget = func(int64) int64 { return 1 << 20 }
	big := volArchive(t, file("./zeros", 4<<20))
	err := checkVolumeArchive(bytes.NewReader(big), manifest.Volume{Key: "data", Size: int64(len(big)), Content: 4 << 20})
	if err == nil || !strings.Contains(err.Error(), "expands beyond") {
		t.Errorf("bomb: %v (archive %d bytes)", err, len(big))
	}
}
