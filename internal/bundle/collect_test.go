package bundle

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

// project makes a project directory with files and a project using them.
func project(t *testing.T) (*types.Project, string) {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"compose.yaml", ".env", "web.env", "conf/nginx.conf", "secret.txt", "src/a.php", "src/lib/b.php", "php.ini"} {
		path := filepath.Join(dir, f)
		os.MkdirAll(filepath.Dir(path), 0o755)
		os.WriteFile(path, []byte(f), 0o644)
	}
	var web types.ServiceConfig
	web.Name = "web"
	web.EnvFiles = []types.EnvFile{{Path: filepath.Join(dir, "web.env"), Required: true}, {Path: filepath.Join(dir, "optional.env")}}
	web.Configs = []types.ServiceConfigObjConfig{{Source: "nginx"}}
	web.Secrets = []types.ServiceSecretConfig{{Source: "key"}}
	web.Volumes = []types.ServiceVolumeConfig{
		{Type: types.VolumeTypeBind, Source: filepath.Join(dir, "src"), Target: "/app"},
		{Type: types.VolumeTypeBind, Source: filepath.Join(dir, "php.ini"), Target: "/php.ini"},
		{Type: types.VolumeTypeBind, Source: filepath.Join(dir, "missing"), Target: "/m"},
		{Type: types.VolumeTypeVolume, Source: "data", Target: "/data"},
	}
	p := &types.Project{
		Name: "demo", WorkingDir: dir, ComposeFiles: []string{filepath.Join(dir, "compose.yaml")},
		Services: types.Services{"web": web},
		Configs:  types.Configs{"nginx": {File: filepath.Join(dir, "conf/nginx.conf")}, "unused": {File: "/etc/passwd"}},
		Secrets:  types.Secrets{"key": {File: filepath.Join(dir, "secret.txt")}},
	}
	return p, dir
}

func rels(c Collected) string {
	var out []string
	for _, f := range c.Files {
		out = append(out, f.Rel)
	}
	return strings.Join(out, " ")
}

func TestCollect(t *testing.T) {
	p, dir := project(t)
	c, err := Collect(p, nil, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rels(c), "compose.yaml .env web.env conf/nginx.conf secret.txt php.ini"; got != want {
		t.Errorf("files: %s\nwant:  %s", got, want)
	}
	if strings.Join(c.EmptyDirs, " ") != "src" {
		t.Errorf("empty dirs: %v", c.EmptyDirs)
	}
	c, err = Collect(p, nil, []string{filepath.Join(dir, "src")}, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := rels(c); !strings.HasSuffix(got, "secret.txt src/a.php src/lib/b.php php.ini") || len(c.EmptyDirs) != 0 {
		t.Errorf("with --include-dir src: %s, empty %v", got, c.EmptyDirs)
	}
}

func TestCollectRefusesOutside(t *testing.T) {
	p, _ := project(t)
	outside := filepath.Join(t.TempDir(), "shared.env")
	os.WriteFile(outside, []byte("X=1"), 0o644)
	s := p.Services["web"]
	s.EnvFiles = append(s.EnvFiles, types.EnvFile{Path: outside, Required: true})
	p.Services["web"] = s
	_, err := Collect(p, nil, nil, "")
	if !errors.Is(err, ErrOutsideProject) || !strings.Contains(err.Error(), "service web: env_file "+outside) {
		t.Errorf("got %v", err)
	}
}

// The archive being written inside an included directory is not stored.
func TestCollectSkipsOutput(t *testing.T) {
	p, dir := project(t)
	s := p.Services["web"]
	s.Volumes = append(s.Volumes, types.ServiceVolumeConfig{Type: types.VolumeTypeBind, Source: dir, Target: "/all"})
	p.Services["web"] = s
	out := filepath.Join(dir, "demo.tar.zst")
	os.WriteFile(out, nil, 0o644)
	c, err := Collect(p, nil, []string{dir}, out)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(rels(c), "demo.tar.zst") || !strings.Contains(rels(c), "src/lib/b.php") {
		t.Errorf("files: %s", rels(c))
	}
}

// Files that compose files include or extend are stored too, recursively.
func TestCollectIncludes(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"compose.yaml":    "include:\n  - db/compose.yaml\n  - path: [cache.yaml]\n    env_file: cache.env\nservices:\n  web:\n    extends:\n      file: base.yaml\n      service: base\n  other:\n    extends: web\n",
		"db/compose.yaml": "include: [../shared.yaml]\nservices: {db: {image: x}}\n",
		"shared.yaml":     "include: [compose.yaml]\n", // a cycle
		"cache.yaml":      "services: {cache: {image: x}}\n",
		"cache.env":       "A=1\n",
		"base.yaml":       "services: {base: {image: x}}\n",
	}
	for name, content := range files {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644)
	}
	p := &types.Project{Name: "x", WorkingDir: dir, ComposeFiles: []string{filepath.Join(dir, "compose.yaml")}}
	c, err := Collect(p, nil, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rels(c), "compose.yaml db/compose.yaml shared.yaml cache.yaml cache.env base.yaml"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
