package mapping

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devstack/devstack/internal/composetest"
	"github.com/devstack/devstack/internal/kube/wire"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGoldenThreeServices maps a realistic project and compares the
// manifests and report with testdata/three.golden.yaml (go test -update
// rewrites it; read the diff before committing one).
func TestGoldenThreeServices(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "three.compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	p := composetest.Load(t, string(src))
	files := map[string][]byte{
		wire.FileKey("config", "api"):                                   []byte("log: info\n"),
		wire.FileKey("bind", filepath.Join(p.WorkingDir, "nginx.conf")): []byte("server { listen 80; location / { proxy_pass http://api:8000; } }\n"),
	}
	r, err := Map(Input{Project: p, Files: files}, wire.MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := Manifests(r.Objects)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, n := range r.Report {
		b.WriteString("# report: " + strings.ReplaceAll(n.String(), p.WorkingDir, "PROJECT") + "\n")
	}
	for _, l := range r.Levels {
		var names []string
		for _, w := range l {
			names = append(names, w.Service)
		}
		b.WriteString("# level: " + strings.Join(names, " ") + "\n")
	}
	for _, m := range ms {
		b.WriteString("---\n# " + m.File + "\n" + m.YAML)
	}
	golden := filepath.Join("testdata", "three.golden.yaml")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("manifests differ from %s (go test -update rewrites it):\n%s", golden, b.String())
	}
}
