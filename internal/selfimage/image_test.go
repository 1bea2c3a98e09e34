package selfimage

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
)

func TestBuild(t *testing.T) {
	spec := Spec{Program: "devstack-x", Dirs: []string{"store"}}
	img, err := Build(spec, []byte("program"), "arm64")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(img.Ref, "devstack-x:") || img.Ref != Ref(spec, []byte("program")) {
		t.Fatalf("ref %q", img.Ref)
	}
	files := map[string][]byte{}
	tr := tar.NewReader(bytes.NewReader(img.Tar))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		files[h.Name], _ = io.ReadAll(tr)
	}
	var m []struct{ Config string }
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil || len(m) != 1 {
		t.Fatalf("manifest.json: %v %s", err, files["manifest.json"])
	}
	var cfg struct {
		Architecture string
		Config       struct{ Entrypoint []string }
	}
	if err := json.Unmarshal(files[m[0].Config], &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Architecture != "arm64" || len(cfg.Config.Entrypoint) != 1 || cfg.Config.Entrypoint[0] != "/devstack-x" {
		t.Fatalf("config %+v", cfg)
	}
	var layer []string
	lr := tar.NewReader(bytes.NewReader(files["layer/layer.tar"]))
	for {
		h, err := lr.Next()
		if err != nil {
			break
		}
		layer = append(layer, h.Name)
	}
	if strings.Join(layer, " ") != "devstack-x store/" {
		t.Fatalf("layer holds %v", layer)
	}
}
