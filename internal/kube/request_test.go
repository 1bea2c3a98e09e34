package kube

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/kube/wire"
)

// ProjectRequest takes along the contents of configs and secrets (file,
// environment, inline) and of small regular project files that are bind
// mounted, and says why it left any other out.
func TestProjectRequestFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, size int) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.Repeat("x", size)), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	small, big, conf := write("nginx.conf", 10), write("big.bin", MaxFile+1), write("site.conf", 4)
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	bind := func(src string) types.ServiceVolumeConfig {
		return types.ServiceVolumeConfig{Type: types.VolumeTypeBind, Source: src, Target: "/x"}
	}
	p := &types.Project{Name: "demo", WorkingDir: dir, Environment: types.Mapping{"TOKEN": "t0k"},
		Services: types.Services{"web": {Name: "web", ContainerSpec: types.ContainerSpec{
			Volumes: []types.ServiceVolumeConfig{bind(small), bind(big), bind(filepath.Join(dir, "sub")), bind("/etc/hostname"), bind(filepath.Join(dir, "gone"))},
			Configs: []types.ServiceConfigObjConfig{{Source: "site"}, {Source: "inline"}},
			Secrets: []types.ServiceSecretConfig{{Source: "token"}, {Source: "unset"}, {Source: "ext"}},
		}}},
		Configs: types.Configs{"site": {File: conf}, "inline": {Content: "hello"}},
		Secrets: types.Secrets{"token": {Environment: "TOKEN"}, "unset": {Environment: "NOPE"}, "ext": {External: true}},
	}
	req, err := ProjectRequest(wire.OpConvert, p)
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		"bind:" + small: "xxxxxxxxxx", "config:site": "xxxx", "config:inline": "hello", "secret:token": "t0k",
	} {
		if got, ok := req.Files[key]; !ok || string(got) != want {
			t.Errorf("Files[%s] = %q, %v; want %q", key, got, ok, want)
		}
	}
	for key, why := range map[string]string{
		"bind:" + big: "more than a ConfigMap should hold", "bind:" + filepath.Join(dir, "sub"): "a directory",
		"bind:/etc/hostname": "outside the project directory", "bind:" + filepath.Join(dir, "gone"): "no such file",
		"secret:unset": "variable NOPE is not set",
	} {
		if !strings.Contains(req.Unread[key], why) {
			t.Errorf("Unread[%s] = %q, want %q", key, req.Unread[key], why)
		}
	}
	if _, ok := req.Files["secret:ext"]; ok || req.Unread["secret:ext"] != "" {
		t.Errorf("an external secret is neither read nor reported: %q", req.Unread["secret:ext"])
	}
	if !strings.Contains(string(req.Project), `"web"`) || req.ProjectName != "demo" {
		t.Errorf("project not sent: %s", req.Project)
	}
}
