package bundle

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

// fakeEngine is a tiny image store: refs and their IDs. SaveImages
// exports them in the engine's legacy layout (a config per image named by
// its ID, a layer directory, manifest.json naming the tags); LoadImages
// reads such an export back.
type fakeEngine struct {
	images  map[string]string // ref -> ID
	saveErr error             // the export breaks with it midway
	loadErr error             // the load refuses with it, after reading the export
	loadID  string            // when set, what a loaded image's ID becomes
	// extraTags: the export tags each image with these too, in its
	// manifest.json (RepoTags) or its repositories file (repoTags).
	extraTags, repoTags []string
}

func (f *fakeEngine) InspectImage(_ context.Context, ref string) (ImageInfo, error) {
	id, ok := f.images[ref]
	if !ok {
		return ImageInfo{}, fmt.Errorf("no such image: %s", ref)
	}
	return ImageInfo{ID: id, Tags: []string{ref}, Platform: "linux/amd64"}, nil
}

type exportEntry struct {
	Config   string
	RepoTags []string
	Layers   []string
}

func (f *fakeEngine) SaveImages(_ context.Context, refs []string) (io.ReadCloser, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	add := func(name, body string) {
		tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(body))})
		io.WriteString(tw, body)
	}
	var manifest []exportEntry
	for _, ref := range refs {
		id := strings.TrimPrefix(f.images[ref], "sha256:")
		add(id+".json", `{"config":"`+ref+`"}`)
		add(id+"/layer.tar", strings.Repeat("layer of "+ref+" ", 500))
		manifest = append(manifest, exportEntry{Config: id + ".json", RepoTags: append([]string{ref}, f.extraTags...), Layers: []string{id + "/layer.tar"}})
	}
	b, _ := json.Marshal(manifest)
	add("manifest.json", string(b))
	if f.repoTags != nil {
		repos := map[string]map[string]string{}
		for _, t := range f.repoTags {
			name, tag, _ := strings.Cut(t, ":")
			repos[name] = map[string]string{tag: strings.TrimPrefix(f.images[refs[0]], "sha256:")}
		}
		b, _ := json.Marshal(repos)
		add("repositories", string(b))
	}
	tw.Close()
	var r io.Reader = &buf
	if f.saveErr != nil {
		r = io.MultiReader(io.LimitReader(&buf, int64(buf.Len()/2)), errReader{f.saveErr})
	}
	return io.NopCloser(r), nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func (f *fakeEngine) LoadImages(_ context.Context, export io.Reader) error {
	tr := tar.NewReader(export)
	configs := map[string]bool{}
	var manifest []exportEntry
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return err
		}
		configs[h.Name] = true
		if h.Name == "manifest.json" {
			json.Unmarshal(b, &manifest)
		}
	}
	if f.loadErr != nil {
		return f.loadErr
	}
	for _, e := range manifest {
		if !configs[e.Config] {
			return fmt.Errorf("config %s missing from the export", e.Config)
		}
		for _, tag := range e.RepoTags {
			f.images[tag] = "sha256:" + strings.TrimSuffix(e.Config, ".json")
			if f.loadID != "" {
				f.images[tag] = f.loadID
			}
		}
	}
	return nil
}

// meter counts what Save and Load report.
type meter struct {
	bytes       int64
	images      int
	started     bool
	total, done int64
}

func (m *meter) start(total int64, _ int) Meter { m.started, m.total = true, total; return m }
func (m *meter) Write(p []byte) (int, error)    { m.bytes += int64(len(p)); return len(p), nil }
func (m *meter) ImageDone()                     { m.images++ }
func (m *meter) Done()                          { m.done++ }

// saveProject is a two-service project in a directory of its own, with its
// compose file and .env, and the engine holding its two images.
func saveProject(t *testing.T) (SaveOptions, *fakeEngine) {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte("services: {web: {image: shop-web:1}, db: {image: shop-db:1}}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, ".env"), []byte("A=1\n"), 0o600)
	p := &types.Project{Name: "shop", WorkingDir: dir, ComposeFiles: []string{filepath.Join(dir, "compose.yaml")},
		Services: types.Services{"web": {Name: "web"}, "db": {Name: "db"}}}
	eng := &fakeEngine{images: map[string]string{"shop-web:1": "sha256:" + strings.Repeat("a", 64), "shop-db:1": "sha256:" + strings.Repeat("b", 64)}}
	o := SaveOptions{Project: p, Version: "test", Presets: []string{"db"},
		Images: []Image{{Ref: "shop-db:1", Services: []string{"db"}}, {Ref: "shop-web:1", Services: []string{"web"}}},
		Files: Collected{Files: []Source{{Abs: filepath.Join(dir, "compose.yaml"), Rel: "compose.yaml"}, {Abs: filepath.Join(dir, ".env"), Rel: ".env"}},
			EmptyDirs: []string{"data"}}}
	return o, eng
}

// entries lists a directory's names.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, _ := os.ReadDir(dir)
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// Save of two images in each compression writes the archive of that kind
// and nothing else; Load of it into an empty engine loads both images with
// their IDs and writes the project's files.
func TestSaveLoad(t *testing.T) {
	magic := map[Compression]func([]byte) bool{
		None:     func(b []byte) bool { return len(b) > 262 && string(b[257:262]) == "ustar" },
		Gzip:     func(b []byte) bool { return bytes.HasPrefix(b, gzipMagic) },
		Zstd:     func(b []byte) bool { return bytes.HasPrefix(b, zstdMagic) },
		ZstdLong: func(b []byte) bool { return bytes.HasPrefix(b, zstdMagic) },
	}
	for _, c := range []Compression{None, Gzip, Zstd, ZstdLong} {
		t.Run(string(c), func(t *testing.T) {
			o, eng := saveProject(t)
			outDir := t.TempDir()
			var sm meter
			o.Compression, o.Out, o.Meter = c, filepath.Join(outDir, "shop"+c.Ext()), sm.start
			m, size, err := Save(context.Background(), eng, o)
			if err != nil {
				t.Fatal(err)
			}
			if got := entries(t, outDir); len(got) != 1 || got[0] != "shop"+c.Ext() {
				t.Errorf("written: %v", got)
			}
			b, _ := os.ReadFile(o.Out)
			if !magic[c](b) || int64(len(b)) != size || sm.bytes != size || sm.images != 2 || sm.done != 1 {
				t.Errorf("%d bytes (said %d, metered %d), images %d, done %d; magic ok %v", len(b), size, sm.bytes, sm.images, sm.done, magic[c](b))
			}
			if len(m.Images) != 2 || m.Images[1].ID != eng.images["shop-web:1"] || m.Images[1].Platform != "linux/amd64" ||
				strings.Join(m.ComposeFiles, ",") != "compose.yaml" || m.Devstack != "test" || m.Selected != nil {
				t.Errorf("manifest: %+v", m)
			}

			fresh := &fakeEngine{images: map[string]string{}}
			a, err := Open(context.Background(), o.Out, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			var lm meter
			dir := filepath.Join(t.TempDir(), "loaded")
			got, gotDir, err := Load(context.Background(), fresh, a, LoadOptions{Dir: dir, Meter: lm.start})
			if err != nil {
				t.Fatal(err)
			}
			if gotDir != dir || got.Project != "shop" || len(fresh.images) != 2 || fresh.images["shop-db:1"] != eng.images["shop-db:1"] {
				t.Errorf("loaded into %s: %v, manifest %+v", gotDir, fresh.images, got)
			}
			if lm.total != size || lm.bytes != size || lm.done != 1 {
				t.Errorf("load meter: %+v, want %d bytes", lm, size)
			}
			if env, err := os.ReadFile(filepath.Join(dir, ".env")); err != nil || string(env) != "A=1\n" {
				t.Errorf(".env: %q %v", env, err)
			}
			if st, err := os.Stat(filepath.Join(dir, "data")); err != nil || !st.IsDir() {
				t.Errorf("data/ not created: %v", err)
			}
		})
	}
}

// Save -o - writes to the given writer; Check reads it back from
// standard input, writing nothing.
func TestSaveStdout(t *testing.T) {
	o, eng := saveProject(t)
	var out bytes.Buffer
	o.Compression, o.Out, o.Stdout = Zstd, "-", &out
	if _, size, err := Save(context.Background(), eng, o); err != nil || size != int64(out.Len()) {
		t.Fatalf("size %d of %d: %v", size, out.Len(), err)
	}
	a, err := Open(context.Background(), "-", &out)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Check(a, LoadOptions{})
	if err != nil || len(m.Images) != 2 || len(m.ProjectFiles()) != 2 {
		t.Errorf("check: %v, %+v", err, m)
	}
}

// A save that fails, before or while writing, leaves no file, and says
// which file it was writing.
func TestSaveFailsLeavesNothing(t *testing.T) {
	for name, breakIt := range map[string]func(*SaveOptions, *fakeEngine){
		"image missing":     func(_ *SaveOptions, e *fakeEngine) { delete(e.images, "shop-web:1") },
		"export breaks":     func(_ *SaveOptions, e *fakeEngine) { e.saveErr = errors.New("engine went away") },
		"project file gone": func(o *SaveOptions, _ *fakeEngine) { os.Remove(o.Files.Files[1].Abs) },
		"file outside":      func(o *SaveOptions, _ *fakeEngine) { o.EnvFiles = []string{"/elsewhere/.env"} },
		"no such directory": func(o *SaveOptions, _ *fakeEngine) { o.Out = filepath.Join(filepath.Dir(o.Out), "nope", "x.tar") },
		"breaks, zstd-long": func(o *SaveOptions, e *fakeEngine) {
			o.Compression, e.saveErr = ZstdLong, errors.New("engine went away")
		},
	} {
		t.Run(name, func(t *testing.T) {
			o, eng := saveProject(t)
			outDir := t.TempDir()
			o.Compression, o.Out = Zstd, filepath.Join(outDir, "shop.tar.zst")
			breakIt(&o, eng)
			_, _, err := Save(context.Background(), eng, o)
			if err == nil {
				t.Fatal("no error")
			}
			if got := entries(t, outDir); len(got) != 0 {
				t.Errorf("left behind: %v", got)
			}
			if strings.Contains(name, "break") || name == "project file gone" || name == "no such directory" {
				if !strings.Contains(err.Error(), o.Out) {
					t.Errorf("error does not name %s: %v", o.Out, err)
				}
			}
		})
	}
}

// A load that the engine refuses, or that ends with other image IDs, or
// that is cancelled, says so naming the file; a refused one writes no
// project file.
func TestLoadFails(t *testing.T) {
	o, eng := saveProject(t)
	o.Compression, o.Out = Zstd, filepath.Join(t.TempDir(), "shop.tar.zst")
	if _, _, err := Save(context.Background(), eng, o); err != nil {
		t.Fatal(err)
	}
	load := func(ctx context.Context, e *fakeEngine, dir string) error {
		a, err := Open(ctx, o.Out, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		_, _, err = Load(ctx, e, a, LoadOptions{Dir: dir})
		return err
	}
	dir := filepath.Join(t.TempDir(), "loaded")
	err := load(context.Background(), &fakeEngine{images: map[string]string{}, loadErr: errors.New("engine says no")}, dir)
	var le *LoadError
	if !errors.As(err, &le) || le.File != o.Out || le.Step != "loading" || le.Left != "nothing loaded" || !strings.Contains(err.Error(), "engine says no") {
		t.Errorf("refused: %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("project directory written by a refused load: %v", err)
	}
	err = load(context.Background(), &fakeEngine{images: map[string]string{}, loadID: "sha256:other"}, dir)
	if err == nil || !strings.HasPrefix(err.Error(), o.Out+": image shop-db:1 is not the saved one") {
		t.Errorf("other IDs: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = load(ctx, &fakeEngine{images: map[string]string{}}, filepath.Join(t.TempDir(), "never"))
	if !errors.As(err, &le) || !errors.Is(err, context.Canceled) || le.Step != "loading" {
		t.Errorf("cancelled: %v", err)
	}
	if _, err := Open(context.Background(), filepath.Join(t.TempDir(), "missing.tar.zst"), nil); err == nil || !strings.Contains(err.Error(), "missing.tar.zst") {
		t.Errorf("missing file: %v", err)
	}
}
