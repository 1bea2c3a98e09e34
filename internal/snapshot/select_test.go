package snapshot

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"

	"github.com/devstack/devstack/internal/composetest"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/snapshot/manifest"
)

const shopYAML = `
services:
  db: {image: postgres:16, volumes: [data:/var/lib/postgresql/data, logs:/logs]}
  cache: {image: busybox:1.36, volumes: [cache:/cache, shared:/shared, /host:/bind]}
  web: {image: nginx:1.27, volumes: [logs:/logs]}
  tool: {image: busybox:1.36, volumes: [/tmp:/tmp]}
volumes:
  data: {}
  logs: {}
  cache: {}
  shared: {external: true, name: team-shared}
`

func TestVolumes(t *testing.T) {
	p := composetest.Load(t, shopYAML)
	for _, tc := range []struct {
		name           string
		services, keys []string
		want           string // KEY=NAME..., or the error
	}{
		{"all the project's, never external", nil, nil, "cache=demo_cache data=demo_data logs=demo_logs"},
		{"those the services mount", []string{"db"}, nil, "data=demo_data logs=demo_logs"},
		{"external left out unless named", []string{"cache"}, nil, "cache=demo_cache"},
		{"named keys, external too", nil, []string{"shared", "data"}, "shared=team-shared(external) data=demo_data"},
		{"no volumes", []string{"tool"}, nil, "no named volumes to snapshot"},
		{"unknown key", nil, []string{"nope"}, "no such volume in the project: nope (volumes: [cache data logs shared])"},
		{"unknown service", []string{"nope"}, nil, `no such service: nope`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vols, err := Volumes(p, tc.services, tc.keys)
			var got []string
			for _, v := range vols {
				s := v.Key + "=" + v.Name
				if v.External {
					s += "(external)"
				}
				got = append(got, s)
			}
			if err != nil {
				got = []string{err.Error()}
			}
			if g := strings.Join(got, " "); !strings.HasPrefix(g, tc.want) {
				t.Errorf("got %q, want %q", g, tc.want)
			}
		})
	}
}

func TestUsers(t *testing.T) {
	c := func(name, service, state string, vols ...string) plan.Container {
		var ms []container.MountPoint
		for _, v := range vols {
			ms = append(ms, container.MountPoint{Type: mount.TypeVolume, Name: v})
		}
		ms = append(ms, container.MountPoint{Type: mount.TypeBind, Source: "/demo_data"})
		return plan.Container{Name: name, Service: service, State: state, Summary: container.Summary{Mounts: ms}}
	}
	cs := []plan.Container{
		c("demo-web-1", "web", "running", "demo_logs"),
		c("demo-db-1", "db", "running", "demo_data", "demo_logs"),
		c("demo-db-2", "db", "exited", "demo_data"),
		c("demo-tool-1", "tool", "running", "other_data"),
	}
	got := Users(cs, []Volume{{Key: "data", Name: "demo_data"}})
	if len(got) != 2 || got[0].Name != "demo-db-1" || got[1].Name != "demo-db-2" {
		t.Errorf("users of data: %v", got)
	}
	if s := Services(Users(cs, []Volume{{Name: "demo_data"}, {Name: "demo_logs"}})); strings.Join(s, " ") != "db web" {
		t.Errorf("services %v", s)
	}
}

func TestDefaultName(t *testing.T) {
	at := time.Date(2026, 12, 6, 13, 40, 5, 0, time.FixedZone("X", 3600))
	for branch, want := range map[string]string{
		"":                       "2026-12-06T12-40-05",
		"main":                   "2026-12-06T12-40-05-main",
		"feature/login..v2":      "2026-12-06T12-40-05-feature-login--v2",
		"/":                      "2026-12-06T12-40-05",
		strings.Repeat("b", 100): "2026-12-06T12-40-05-" + strings.Repeat("b", 60),
	} {
		got := DefaultName(at, branch)
		if got != want {
			t.Errorf("DefaultName(%q) = %q, want %q", branch, got, want)
		}
		if err := CheckName(got); err != nil {
			t.Errorf("DefaultName(%q) = %q: %v", branch, got, err)
		}
	}
}

func TestGitBranch(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, ".git"), 0o755)
	os.WriteFile(filepath.Join(root, ".git", "HEAD"), []byte("ref: refs/heads/feature/x\n"), 0o644)
	sub := filepath.Join(root, "app", "deep")
	os.MkdirAll(sub, 0o755)
	if got := GitBranch(sub); got != "feature/x" {
		t.Errorf("work tree: %q", got)
	}
	// A linked work tree: .git is a file naming the git directory.
	linked := t.TempDir()
	os.MkdirAll(filepath.Join(root, ".git", "worktrees", "l"), 0o755)
	os.WriteFile(filepath.Join(root, ".git", "worktrees", "l", "HEAD"), []byte("ref: refs/heads/snap\n"), 0o644)
	os.WriteFile(filepath.Join(linked, ".git"), []byte("gitdir: "+filepath.Join(root, ".git", "worktrees", "l")+"\n"), 0o644)
	if got := GitBranch(linked); got != "snap" {
		t.Errorf("linked work tree: %q", got)
	}
	os.WriteFile(filepath.Join(root, ".git", "HEAD"), []byte("0123456789abcdef0123456789abcdef01234567\n"), 0o644)
	if got := GitBranch(sub); got != "" {
		t.Errorf("detached: %q", got)
	}
}

func TestTargetsAndFind(t *testing.T) {
	p := composetest.Load(t, shopYAML)
	m := manifest.Manifest{Name: "s1", Volumes: []manifest.Volume{{Key: "data"}, {Key: "shared", External: true}}}
	vols, skipped, err := Targets(p, m, nil)
	if err != nil || len(vols) != 1 || vols[0].Name != "demo_data" || strings.Join(skipped, ",") != "shared" {
		t.Errorf("targets %v skipped %v: %v", vols, skipped, err)
	}
	vols, _, err = Targets(p, m, []string{"shared"})
	if err != nil || len(vols) != 1 || vols[0].Name != "team-shared" {
		t.Errorf("named external: %v %v", vols, err)
	}
	if _, _, err := Targets(p, m, []string{"logs"}); err == nil || err.Error() != "snapshot s1 has no volume logs" {
		t.Errorf("key not in the snapshot: %v", err)
	}
	gone := manifest.Manifest{Name: "s0", Volumes: []manifest.Volume{{Key: "olddata"}}}
	if _, _, err := Targets(p, gone, nil); err == nil || !strings.Contains(err.Error(), "olddata") {
		t.Errorf("volume the project lost: %v", err)
	}
	snaps := []manifest.Manifest{{Name: "a"}, {Name: "b"}}
	if got, err := Find(snaps, "demo", "", true); err != nil || got.Name != "b" {
		t.Errorf("latest: %v %v", got.Name, err)
	}
	if _, err := Find(nil, "demo", "", true); err == nil || !strings.Contains(err.Error(), "project demo has none") {
		t.Errorf("latest of none: %v", err)
	}
	if _, err := Find(snaps, "demo", "c", false); err == nil || err.Error() != "no such snapshot c in project demo (devstack snapshot ls lists them)" {
		t.Errorf("missing: %v", err)
	}
	for _, bad := range []string{"../x", "a/b", ""} {
		if _, err := Find(snaps, "demo", bad, false); err == nil || !strings.Contains(err.Error(), "bad snapshot name") {
			t.Errorf("Find(%q): %v", bad, err)
		}
	}
}
