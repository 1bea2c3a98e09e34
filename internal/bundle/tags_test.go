package bundle

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// An image export may tag images only as the manifest declares: one
// that also tags them postgres:16 (in manifest.json's RepoTags or in
// repositories) is refused by Check and by Load, naming the tag, before
// the engine loads anything; a sound one reports every tag it loads.
func TestExportTags(t *testing.T) {
	for _, tc := range []struct {
		name            string
		extra, repoTags []string
		want            string
	}{
		{"sound", nil, nil, ""},
		{"sound, with repositories", nil, []string{"shop-db:1"}, ""},
		{"docker.io spelled out", []string{"docker.io/library/shop-web:1"}, nil, ""},
		{"RepoTags", []string{"postgres:16"}, nil, `"postgres:16" (images/manifest.json)`},
		{"repositories", nil, []string{"library/postgres:16"}, `"library/postgres:16" (images/repositories)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, eng := saveProject(t)
			eng.extraTags, eng.repoTags = tc.extra, tc.repoTags
			var out bytes.Buffer
			o.Compression, o.Out, o.Stdout = Zstd, "-", &out
			if _, _, err := Save(context.Background(), eng, o); err != nil {
				t.Fatal(err)
			}
			m, err := Check(&Archive{name: "a.tar.zst", r: bytes.NewReader(out.Bytes()), close: func() {}}, LoadOptions{})
			fresh := &fakeEngine{images: map[string]string{}}
			dir := filepath.Join(t.TempDir(), "loaded")
			_, _, lerr := Load(context.Background(), fresh, &Archive{name: "a.tar.zst", r: bytes.NewReader(out.Bytes()), close: func() {}}, LoadOptions{Dir: dir})
			if tc.want == "" {
				if err != nil || lerr != nil {
					t.Fatalf("refused: %v; %v", err, lerr)
				}
				if !slices.Contains(m.ExportTags, "shop-db:1") || !slices.Contains(m.ExportTags, "shop-web:1") {
					t.Errorf("tags loaded: %v", m.ExportTags)
				}
				return
			}
			for _, err := range []error{err, lerr} {
				if !errors.Is(err, ErrUndeclaredTag) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "(nothing loaded)") {
					t.Errorf("got %v, want %v naming %s", err, ErrUndeclaredTag, tc.want)
				}
			}
			if len(fresh.images) != 0 {
				t.Errorf("loaded: %v", fresh.images)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("project directory written: %v", err)
			}
		})
	}
}

// Podman's export spells its tags in full (docker.io/library/NAME:TAG):
// load names them as docker load does, NAME:TAG.
func TestExportTagsFamiliar(t *testing.T) {
	m := Manifest{Images: []Image{{Ref: "shop-web:1"}, {Ref: "registry.example:5000/team/api:2"}}}
	meta := map[string]*bytes.Buffer{exportManifest: bytes.NewBufferString(
		`[{"RepoTags":["docker.io/library/shop-web:1"]},{"RepoTags":["registry.example:5000/team/api:2"]}]`)}
	got, err := checkExportTags(m, meta)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"registry.example:5000/team/api:2", "shop-web:1"}; !slices.Equal(got, want) {
		t.Errorf("tags loaded: %v, want %v", got, want)
	}
}

// An OCI index.json names images too: by io.containerd.image.name, and by
// org.opencontainers.image.ref.name, which Podman names what it loads by.
// Docker's form (the name, and its tag as ref.name) loads; a ref.name or
// a name the manifest does not declare is refused, naming it.
func TestExportTagsIndex(t *testing.T) {
	m := Manifest{Images: []Image{{Ref: "shop-web:1"}}}
	for _, tc := range []struct {
		annotations, want string
	}{
		{`{"io.containerd.image.name": "docker.io/library/shop-web:1", "org.opencontainers.image.ref.name": "1"}`, ""},
		{`{"org.opencontainers.image.ref.name": "docker.io/library/shop-web:1"}`, ""},
		{`{"org.opencontainers.image.ref.name": "shop-web:1"}`, ""},
		{`{"org.opencontainers.image.ref.name": "docker.io/library/postgres:16"}`, `"docker.io/library/postgres:16" (images/index.json)`},
		{`{"io.containerd.image.name": "docker.io/library/shop-web:1", "org.opencontainers.image.ref.name": "postgres:16"}`, `"postgres:16" (images/index.json)`},
		{`{"io.containerd.image.name": "docker.io/library/shop-web:1", "org.opencontainers.image.ref.name": "postgres"}`, `"postgres" (images/index.json)`},
		{`{"io.containerd.image.name": "docker.io/library/postgres:16", "org.opencontainers.image.ref.name": "16"}`, `"docker.io/library/postgres:16" (images/index.json)`},
	} {
		meta := map[string]*bytes.Buffer{exportIndex: bytes.NewBufferString(`{"schemaVersion": 2, "manifests": [{"annotations": ` + tc.annotations + `}]}`)}
		_, err := checkExportTags(m, meta)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.annotations, err)
			}
			continue
		}
		if !errors.Is(err, ErrUndeclaredTag) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %v naming %s", tc.annotations, err, ErrUndeclaredTag, tc.want)
		}
	}
}
