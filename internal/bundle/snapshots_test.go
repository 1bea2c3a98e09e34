package bundle

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// fakeSnapshots is a snapshot store: the exports of its snapshots, by
// name. ImportSnapshot reads the export's members (through Archive.Walk,
// as snapshot.Import does) and keeps the export's bytes.
type fakeSnapshots struct {
	exports   map[string][]byte
	imported  []string
	importErr error
}

// snapshotExport is a snapshot export as snapshot export writes it:
// manifest.json, then one KEY.tar.zst a volume, in zstd.
func snapshotExport(t *testing.T, name string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := zstd.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, f := range []struct{ name, body string }{
		{"manifest.json", `{"name":"` + name + `","volumes":[{"key":"data"}]}`},
		{"data.tar.zst", strings.Repeat("volume bytes of "+name+" ", 300)},
	} {
		tw.WriteHeader(&tar.Header{Name: f.name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(f.body))})
		io.WriteString(tw, f.body)
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

func (f *fakeSnapshots) ExportSnapshot(_ context.Context, project, name string, w io.Writer) ([]string, error) {
	b, ok := f.exports[name]
	if !ok || project != "shop" {
		return nil, errors.New("no such snapshot " + name)
	}
	_, err := w.Write(b)
	return []string{"data"}, err
}

func (f *fakeSnapshots) SnapshotNames(_ context.Context, project string) ([]string, error) {
	var names []string
	for n := range f.exports {
		names = append(names, n)
	}
	return names, nil
}

func (f *fakeSnapshots) ImportSnapshot(_ context.Context, project, name string, src *Archive) error {
	if f.importErr != nil {
		return f.importErr
	}
	var members []string
	if err := src.Walk(func(m Member, r io.Reader) error {
		members = append(members, m.Name)
		_, err := io.Copy(io.Discard, r)
		return err
	}); err != nil {
		return err
	}
	if !slices.Equal(members, []string{"manifest.json", "data.tar.zst"}) {
		return errors.New("members " + strings.Join(members, ","))
	}
	f.imported = append(f.imported, project+"/"+name)
	return nil
}

// saveWithSnapshots saves the project with snapshots s1 and s2.
func saveWithSnapshots(t *testing.T, c Compression) (SaveOptions, *fakeEngine, *fakeSnapshots, Manifest) {
	t.Helper()
	o, eng := saveProject(t)
	src := &fakeSnapshots{exports: map[string][]byte{"s1": snapshotExport(t, "s1"), "s2": snapshotExport(t, "s2")}}
	o.Compression, o.Out = c, filepath.Join(t.TempDir(), "shop"+c.Ext())
	o.Snapshots, o.Snapshotter = []string{"s1", "s2"}, src
	m, _, err := Save(context.Background(), eng, o)
	if err != nil {
		t.Fatal(err)
	}
	return o, eng, src, m
}

func loadArchive(t *testing.T, file string, eng *fakeEngine, o LoadOptions) (Manifest, error) {
	t.Helper()
	a, err := Open(context.Background(), file, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	m, _, err := Load(context.Background(), eng, a, o)
	return m, err
}

// Save --snapshots stores each snapshot's export as its own member
// (format 3), exactly the export's bytes; load imports them after the
// images and files, into the project's snapshots.
func TestSaveLoadSnapshots(t *testing.T) {
	for _, c := range []Compression{None, Zstd, ZstdLong} {
		t.Run(string(c), func(t *testing.T) {
			o, _, src, m := saveWithSnapshots(t, c)
			if len(m.Snapshots) != 2 || m.Snapshots[0].Name != "s1" || m.Snapshots[0].Size != int64(len(src.exports["s1"])) || len(m.Snapshots[0].SHA256) != 64 || !slices.Equal(m.Snapshots[1].Volumes, []string{"data"}) {
				t.Errorf("manifest snapshots: %+v", m.Snapshots)
			}
			dir := filepath.Join(t.TempDir(), "loaded")
			dst := &fakeSnapshots{exports: map[string][]byte{"other": nil}}
			fresh := &fakeEngine{images: map[string]string{}}
			got, err := loadArchive(t, o.Out, fresh, LoadOptions{Dir: dir, Snapshots: dst})
			if err != nil {
				t.Fatal(err)
			}
			if got.Format != 3 || !slices.Equal(dst.imported, []string{"shop/s1", "shop/s2"}) || len(fresh.images) != 2 {
				t.Errorf("format %d, imported %v, images %v", got.Format, dst.imported, fresh.images)
			}
			if _, err := os.Stat(filepath.Join(dir, "compose.yaml")); err != nil {
				t.Error(err)
			}
			if _, err := os.Stat(filepath.Join(dir, "snapshots")); !os.IsNotExist(err) {
				t.Errorf("a snapshot was written among the project's files: %v", err)
			}
		})
	}
}

// The member is the export itself: tar takes it out of the archive
// byte for byte (so snapshot import reads it), and an archive without
// snapshots stays format 2, which older devstacks read.
func TestSnapshotMemberIsTheExport(t *testing.T) {
	o, _, src, _ := saveWithSnapshots(t, None)
	f, _ := os.Open(o.Out)
	defer f.Close()
	tr := tar.NewReader(f)
	found := false
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		if h.Name == "snapshots/s2.tar.zst" {
			b, _ := io.ReadAll(tr)
			found = bytes.Equal(b, src.exports["s2"])
		}
	}
	if !found {
		t.Error("snapshots/s2.tar.zst is not the export")
	}
	plain, eng := saveProject(t)
	plain.Compression, plain.Out = None, filepath.Join(t.TempDir(), "plain.tar")
	if m, _, err := Save(context.Background(), eng, plain); err != nil || m.Snapshots != nil {
		t.Fatal(err, m.Snapshots)
	}
	a, _ := Open(context.Background(), plain.Out, nil)
	defer a.Close()
	if m, err := Check(a, LoadOptions{}); err != nil || m.Format != 2 {
		t.Errorf("without snapshots: format %d, %v", m.Format, err)
	}
}

// A damaged snapshot member, a snapshot the project has, and an import
// the engine refuses: nothing loaded, no file left, nothing imported.
func TestLoadSnapshotsRefused(t *testing.T) {
	o, _, src, _ := saveWithSnapshots(t, None)
	archive, _ := os.ReadFile(o.Out)
	i := bytes.Index(archive, src.exports["s2"])
	damaged := bytes.Clone(archive)
	damaged[i+len(src.exports["s2"])/2] ^= 0xff
	bad := filepath.Join(t.TempDir(), "damaged.tar")
	os.WriteFile(bad, damaged, 0o644)
	for _, tc := range []struct {
		name, file string
		store      *fakeSnapshots
		err        error
		msg        string
	}{
		{"damaged", bad, &fakeSnapshots{}, ErrChecksum, "member snapshots/s2.tar.zst: SHA-256"},
		{"clash", o.Out, &fakeSnapshots{exports: map[string][]byte{"s2": nil}}, ErrSnapshotExists, "project shop already has snapshot s2: devstack snapshot rm s2 and load again, or take snapshots/s2.tar.zst out of the archive and devstack snapshot import it --name NEW"},
		{"import fails", o.Out, &fakeSnapshots{importErr: errors.New("engine says no")}, ErrImagesLoaded, "snapshot s1 not imported: engine says no"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "loaded")
			fresh := &fakeEngine{images: map[string]string{}}
			_, err := loadArchive(t, tc.file, fresh, LoadOptions{Dir: dir, Snapshots: tc.store})
			if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("got %v, want %v mentioning %q", err, tc.err, tc.msg)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("project directory left: %v", err)
			}
			if tc.err != ErrImagesLoaded && len(fresh.images) != 0 {
				t.Errorf("images loaded: %v", fresh.images)
			}
			if len(tc.store.imported) != 0 {
				t.Errorf("imported: %v", tc.store.imported)
			}
		})
	}
}

// The manifest's snapshots and the snapshot members must agree, and a
// member under snapshots/ be snapshots/NAME.tar.zst.
func TestManifestSnapshots(t *testing.T) {
	sum := strings.Repeat("a", 64)
	mem := Member{Name: "snapshots/s1.tar.zst", Type: TypeFile, Size: 10, SHA256: sum}
	for _, tc := range []struct {
		name string
		m    Manifest
		err  error
	}{
		{"ok", Manifest{Snapshots: []Snapshot{{Name: "s1", Size: 10, SHA256: sum}}, Members: []Member{mem}}, nil},
		{"unlisted member", Manifest{Members: []Member{mem}}, ErrCorrupt},
		{"no member", Manifest{Snapshots: []Snapshot{{Name: "s1", Size: 10, SHA256: sum}}}, ErrCorrupt},
		{"other size", Manifest{Snapshots: []Snapshot{{Name: "s1", Size: 11, SHA256: sum}}, Members: []Member{mem}}, ErrCorrupt},
		{"twice", Manifest{Snapshots: []Snapshot{{Name: "s1", Size: 10, SHA256: sum}, {Name: "s1", Size: 10, SHA256: sum}}, Members: []Member{mem}}, ErrCorrupt},
		{"bad name", Manifest{Snapshots: []Snapshot{{Name: ".x"}}}, ErrInvalidName},
		{"nested member", Manifest{Members: []Member{{Name: "snapshots/a/b.tar.zst", Type: TypeFile}}}, ErrUnsafePath},
		{"not .tar.zst", Manifest{Members: []Member{{Name: "snapshots/a.tar", Type: TypeFile}}}, ErrUnsafePath},
		{"bad member name", Manifest{Members: []Member{{Name: "snapshots/-x.tar.zst", Type: TypeFile}}}, ErrUnsafePath},
		{"directory", Manifest{Members: []Member{{Name: "snapshots/a.tar.zst", Type: TypeDir}}}, ErrCorrupt},
	} {
		tc.m.Project = "p"
		if err := tc.m.check(); !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.err)
		}
	}
}
