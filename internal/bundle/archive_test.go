package bundle

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstack/devstack/internal/bundle/ldm"
	"github.com/klauspost/compress/zstd"
)

// fakeExport is a small image export in the engine's legacy layout, with a
// layer shared through a symbolic link.
func fakeExport(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	add := func(h *tar.Header, body string) {
		h.Size = int64(len(body))
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		io.WriteString(tw, body)
	}
	add(&tar.Header{Name: "aaa/", Typeflag: tar.TypeDir, Mode: 0o755}, "")
	add(&tar.Header{Name: "aaa/layer.tar", Typeflag: tar.TypeReg, Mode: 0o644}, strings.Repeat("layer bytes ", 1000))
	add(&tar.Header{Name: "bbb/", Typeflag: tar.TypeDir, Mode: 0o755}, "")
	add(&tar.Header{Name: "bbb/layer.tar", Typeflag: tar.TypeSymlink, Linkname: "../aaa/layer.tar"}, "")
	add(&tar.Header{Name: "0123.json", Typeflag: tar.TypeReg, Mode: 0o644}, `{"config":true}`)
	add(&tar.Header{Name: "manifest.json", Typeflag: tar.TypeReg, Mode: 0o644}, `[{"Config":"0123.json"}]`)
	tw.Close()
	return buf.Bytes()
}

// writeArchive writes an archive of the fake export and one project file.
func writeArchive(t testing.TB, c Compression, format int) []byte {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "compose.yaml")
	os.WriteFile(src, []byte("services: {}\n"), 0o640)
	var out bytes.Buffer
	w, err := NewWriter(&out, c)
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	if err := w.AddImageExport(bytes.NewReader(fakeExport(t)), func(n string) { seen = append(seen, n) }); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 6 || seen[4] != "0123.json" {
		t.Fatalf("members seen: %v", seen)
	}
	if err := w.AddFile(Source{Abs: src, Rel: "compose.yaml"}); err != nil {
		t.Fatal(err)
	}
	m := Manifest{Devstack: "test", Project: "p", Images: []Image{{ID: "sha256:0123", Ref: "x:1"}}}
	if err := w.close(m, format); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestRoundTrip(t *testing.T) {
	for _, c := range []Compression{None, Gzip, Zstd, ZstdLong} {
		t.Run(string(c), func(t *testing.T) {
			archive := writeArchive(t, c, FormatVersion)
			m, err := Verify(bytes.NewReader(archive))
			if err != nil {
				t.Fatal(err)
			}
			if m.Project != "p" || len(m.Members) != 7 || m.Format != FormatVersion {
				t.Fatalf("manifest: %+v", m)
			}
			dir := filepath.Join(t.TempDir(), "out")
			var export bytes.Buffer
			got, gotDir, err := Unpack(bytes.NewReader(archive), decideDir(dir, nil), func(r io.Reader) error {
				_, err := io.Copy(&export, r)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if gotDir != dir || got.Project != "p" || len(got.Members) != 7 {
				t.Fatalf("Unpack: %s, %+v", gotDir, got)
			}
			if got := exportNames(t, export.Bytes()); got != exportNames(t, fakeExport(t)) {
				t.Errorf("export rebuilt as %s, want %s", got, exportNames(t, fakeExport(t)))
			}
			b, err := os.ReadFile(filepath.Join(dir, "compose.yaml"))
			st, _ := os.Stat(filepath.Join(dir, "compose.yaml"))
			if err != nil || string(b) != "services: {}\n" || st.Mode().Perm() != 0o640 {
				t.Errorf("compose.yaml: %q %v %v", b, st.Mode(), err)
			}
			if err := Conflicts(m, dir); err != nil {
				t.Errorf("identical files conflict: %v", err)
			}
			os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte("other"), 0o644)
			if err := Conflicts(m, dir); !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "compose.yaml") {
				t.Errorf("changed file: %v", err)
			}
		})
	}
}

// exportNames lists an export's members with their types, links and sizes.
func exportNames(t *testing.T, b []byte) string {
	tr := tar.NewReader(bytes.NewReader(b))
	var out []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return strings.Join(out, " ")
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(tr)
		out = append(out, h.Name+":"+string(h.Typeflag)+":"+h.Linkname+":"+string(rune('0'+len(body)%10)))
	}
}

func TestDamage(t *testing.T) {
	plain := writeArchive(t, None, FormatVersion)
	layer := bytes.Index(plain, []byte("layer bytes"))
	compose := bytes.Index(plain, []byte("services: {}"))
	flip := func(b []byte, at int) []byte {
		c := bytes.Clone(b)
		c[at] ^= 0x20
		return c
	}
	zst := writeArchive(t, Zstd, FormatVersion)
	long := writeArchive(t, ZstdLong, FormatVersion)
	for _, tc := range []struct {
		name    string
		archive []byte
		err     error
		msg     string
	}{
		{"flipped layer byte", flip(plain, layer+5), ErrChecksum, "member images/aaa/layer.tar: SHA-256"},
		{"flipped project byte", flip(plain, compose+3), ErrChecksum, "member project/compose.yaml"},
		{"truncated mid-member", plain[:layer+100], ErrCorrupt, "in member images/aaa/layer.tar: unexpected end"},
		{"truncated before the manifest", plain[:compose+512], ErrCorrupt, "no " + ManifestName},
		{"truncated zstd", zst[:len(zst)/2], ErrCorrupt, ""},
		{"truncated zstd-long", long[:len(long)/2], ErrCorrupt, ""},
		{"newer format", writeArchive(t, Zstd, FormatVersion+1), ErrNewerFormat, "load it with a newer devstack"},
		{"newer format, zstd-long", writeArchive(t, ZstdLong, FormatVersion+1), ErrNewerFormat, "load it with a newer devstack"},
		{"not an archive", []byte("hello, world"), ErrCorrupt, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Verify(bytes.NewReader(tc.archive))
			if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("got %v, want %v mentioning %q", err, tc.err, tc.msg)
			}
		})
	}
}

// A byte flipped anywhere in a compressed archive breaks the zstd or
// long-distance match stream, or a member's checksum; or it changed
// nothing the checksums cover (a header field such as the window size),
// in which case the archive is sound.
func TestFlippedCompressedByte(t *testing.T) {
	for _, c := range []Compression{Zstd, ZstdLong, Gzip} {
		archive := writeArchive(t, c, FormatVersion)
		refused := 0
		for at := range archive {
			damaged := bytes.Clone(archive)
			damaged[at] ^= 0x20
			switch _, err := Verify(bytes.NewReader(damaged)); {
			case errors.Is(err, ErrCorrupt) || errors.Is(err, ErrChecksum) || errors.Is(err, ErrUnsafePath) || errors.Is(err, ErrInvalidName) || errors.Is(err, ErrTooLarge) || errors.Is(err, ErrNewerFormat):
				refused++
			case err != nil:
				t.Fatalf("%s, byte %d of %d flipped: got %v", c, at, len(archive), err)
			}
		}
		if refused < len(archive)*9/10 {
			t.Errorf("%s: %d of %d flipped bytes refused", c, refused, len(archive))
		}
	}
}

// An archive of format 1, a plain tar in zstd, still reads.
func TestFormat1(t *testing.T) {
	plain := writeArchive(t, None, 1)
	var zst bytes.Buffer
	z, _ := zstd.NewWriter(&zst)
	z.Write(plain)
	z.Close()
	m, err := Verify(bytes.NewReader(zst.Bytes()))
	if err != nil || m.Format != 1 || len(m.Members) != 7 {
		t.Fatalf("got %v, %+v", err, m)
	}
	if !bytes.Contains(writeArchive(t, None, formatNoSnapshots), []byte(`"format": 2`)) {
		t.Error("the manifest does not say format 2")
	}
}

// A member the manifest does not list, or one it lists but the archive
// lacks, is refused.
func TestMembersMatchManifest(t *testing.T) {
	got := []Member{{Name: "project/a", Type: TypeFile, Size: 1, SHA256: "x"}}
	if err := sameMembers(nil, got); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "project/a is not in the manifest") {
		t.Errorf("extra member: %v", err)
	}
	if err := sameMembers(got, nil); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "project/a listed in the manifest is missing") {
		t.Errorf("missing member: %v", err)
	}
	other := []Member{{Name: "project/a", Type: TypeFile, Size: 2, SHA256: "x"}}
	if err := sameMembers(got, other); !errors.Is(err, ErrChecksum) {
		t.Errorf("size differs: %v", err)
	}
}

func decideDir(dir string, err error) Decide {
	return func(Manifest) (string, error) { return dir, err }
}

// A damaged archive, or a refusal to load it, ends the load as a broken
// upload: the engine never sees the export's end, and no project file is
// written.
func TestUnpackRefused(t *testing.T) {
	plain := writeArchive(t, None, FormatVersion)
	damaged := bytes.Clone(plain)
	damaged[bytes.Index(plain, []byte("layer bytes"))+3] ^= 0x20
	conflict := fmt.Errorf("%w: compose.yaml", ErrConflict)
	for _, tc := range []struct {
		name    string
		archive []byte
		decide  error
		want    error
	}{
		{"a flipped layer byte", damaged, nil, ErrChecksum},
		{"truncated after the images", plain[:bytes.Index(plain, []byte("services: {}"))], nil, ErrCorrupt},
		{"decide refuses", plain, conflict, ErrConflict},
	} {
		dir := filepath.Join(t.TempDir(), "out")
		var loadErr error
		_, _, err := Unpack(bytes.NewReader(tc.archive), decideDir(dir, tc.decide), func(r io.Reader) error {
			tr := tar.NewReader(r)
			for {
				if _, loadErr = tr.Next(); loadErr != nil {
					return loadErr
				}
			}
		})
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
		if loadErr == nil || loadErr == io.EOF {
			t.Errorf("%s: the load saw a complete export (%v), want a broken stream", tc.name, loadErr)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("%s: project directory created: %v", tc.name, err)
		}
	}
}

// A failing load writes no project files.
func TestUnpackLoadFails(t *testing.T) {
	archive := writeArchive(t, Zstd, FormatVersion)
	dir := filepath.Join(t.TempDir(), "out")
	boom := errors.New("engine says no")
	_, _, err := Unpack(bytes.NewReader(archive), decideDir(dir, nil), func(r io.Reader) error {
		io.CopyN(io.Discard, r, 100)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("got %v, want the load's error", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("project directory created by a failed load: %v", err)
	}
}

// An archive of a newer format is refused as such even when it holds
// members this devstack does not know.
func TestNewerFormatWins(t *testing.T) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range []struct{ name, body string }{
		{"layers-v9/x", "new kind of member"},
		{ManifestName, `{"format": 9, "devstack": "9.9.9"}`},
	} {
		tw.WriteHeader(&tar.Header{Name: f.name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(f.body))})
		io.WriteString(tw, f.body)
	}
	tw.Close()
	_, err := Verify(&buf)
	if !errors.Is(err, ErrNewerFormat) || !strings.Contains(err.Error(), "format 9 (written by devstack 9.9.9); this devstack reads format 3") {
		t.Errorf("got %v", err)
	}
}

// A failure once the engine had the whole export says so: here the
// project directory cannot be made (a file is in the way) after the load
// succeeded. An engine that refuses the export loaded nothing.
func TestUnpackAfterExport(t *testing.T) {
	archive := writeArchive(t, Zstd, FormatVersion)
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, nil, 0o644)
	accept := func(r io.Reader) error { _, err := io.Copy(io.Discard, r); return err }
	_, _, err := Unpack(bytes.NewReader(archive), decideDir(filepath.Join(blocker, "out"), nil), accept)
	if !errors.Is(err, ErrImagesLoaded) {
		t.Errorf("files not written after the load: got %v, want it marked %v", err, ErrImagesLoaded)
	}
	refuse := func(r io.Reader) error { io.Copy(io.Discard, r); return errors.New("engine says no") }
	_, _, err = Unpack(bytes.NewReader(archive), decideDir(t.TempDir(), nil), refuse)
	if err == nil || errors.Is(err, ErrImagesLoaded) {
		t.Errorf("a refused load: got %v, want an error not marked %v", err, ErrImagesLoaded)
	}
}

// zstd is a plain tar in zstd, the manifest its last member, as tar
// --zstd reads it; zstd-long is the long-distance match stream in zstd.
// Both are told apart by what they hold, not by a name.
func TestZstdLayers(t *testing.T) {
	unzstd := func(b []byte) []byte {
		d, err := zstd.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		out, err := io.ReadAll(d)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	names := exportNames(t, unzstd(writeArchive(t, Zstd, FormatVersion)))
	if !strings.HasPrefix(names, "images/aaa/:5::0 ") || !strings.Contains(names, " "+ManifestName+":") {
		t.Errorf("zstd: the tar in it lists %s", names)
	}
	if got := unzstd(writeArchive(t, ZstdLong, FormatVersion)); !ldm.IsStream(got) {
		t.Errorf("zstd-long: zstd -d gives %q..., want the ldm header", got[:min(len(got), 8)])
	}
	for c, ext := range map[Compression]string{None: ".tar", Gzip: ".tar.gz", Zstd: ".tar.zst", ZstdLong: ".ldm.zst"} {
		if got, err := ParseCompression(string(c)); err != nil || got != c || c.Ext() != ext {
			t.Errorf("%s: parsed %q %v, ext %s, want %s", c, got, err, c.Ext(), ext)
		}
	}
	if _, err := ParseCompression("xz"); err == nil || !strings.Contains(err.Error(), "zstd-long") {
		t.Errorf("xz: %v", err)
	}
}
