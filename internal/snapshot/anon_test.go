package snapshot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/volume"

	"github.com/devstack/devstack/internal/composetest"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/snapshot/manifest"
)

func TestAnonymousVolumes(t *testing.T) {
	p := composetest.Load(t, shopYAML)
	vol := func(name, dst string) container.MountPoint {
		return container.MountPoint{Type: mount.TypeVolume, Name: name, Destination: dst}
	}
	cs := []plan.Container{
		{Name: "demo-db-1", Service: "db", Number: 1, Summary: container.Summary{Mounts: []container.MountPoint{
			vol("demo_data", "/var/lib/postgresql/data"), vol("0123abc", "/var/lib/mysql"), {Type: mount.TypeBind, Source: "/x", Destination: "/x"},
		}}},
		{Name: "demo-cache-2", Service: "cache", Number: 2, Summary: container.Summary{Mounts: []container.MountPoint{
			vol("team-shared", "/shared"), vol("4567def", "/tmp/a.b/../c"), vol("0123abc", "/again"),
		}}},
	}
	var got []string
	for _, v := range AnonymousVolumes(p, cs) {
		got = append(got, v.Key+"="+v.Name)
		if err := CheckName(v.Key); err != nil {
			t.Errorf("key %q: %v", v.Key, err)
		}
	}
	if g := strings.Join(got, " "); g != "anon-db-1-var-lib-mysql=0123abc anon-cache-2-tmp-a-b----c=4567def" {
		t.Errorf("got %q", g)
	}
	// After up -V the container mounts a new volume at the same path.
	vols := []Volume{{Key: "anon-db-1-var-lib-mysql", Anonymous: true, Service: "db", Number: 1, Path: "/var/lib/mysql"}}
	cs[0].Summary.Mounts[1].Name = "fresh"
	if err := resolveAnonymous(vols, cs); err != nil || vols[0].Name != "fresh" {
		t.Errorf("resolved %+v: %v", vols[0], err)
	}
	vols[0].Number = 3
	if err := resolveAnonymous(vols, cs); err == nil || !strings.Contains(err.Error(), "no such container now") {
		t.Errorf("container gone: %v", err)
	}
	m := manifest.Manifest{Name: "a", Volumes: []manifest.Volume{{Key: "anon-web-1-x", Anonymous: true, Service: "gone", Number: 1, Path: "/x"}}}
	if _, _, err := Targets(p, m, nil); err == nil || !strings.Contains(err.Error(), "service gone") {
		t.Errorf("service gone: %v", err)
	}
}

// up -V's and rm -v's safety net: only the anonymous volumes that hold
// data are saved.
func TestAutoSaveAnonymous(t *testing.T) {
	api, p := upFlow(t)
	ctx := context.Background()
	db, _ := api.ContainerInspect(ctx, "demo-db-1")
	web, _ := api.ContainerInspect(ctx, "demo-web-1")
	cs := []plan.Container{
		{ID: db.ID, Name: "demo-db-1", Service: "db", Number: 1, State: "running", Summary: container.Summary{Mounts: []container.MountPoint{{Type: mount.TypeVolume, Name: "aaa", Destination: "/cache"}}}},
		{ID: web.ID, Name: "demo-web-1", Service: "web", Number: 1, State: "running", Summary: container.Summary{Mounts: []container.MountPoint{{Type: mount.TypeVolume, Name: "bbb", Destination: "/tmp"}}}},
	}
	for _, n := range []string{"aaa", "bbb"} {
		if _, err := api.VolumeCreate(ctx, volume.CreateOptions{Name: n}); err != nil {
			t.Fatal(err)
		}
	}
	api.ExitOnStart("devstack-snapshot-demo-du", 0, `{"anon-db-1-cache": 12, "anon-web-1-tmp": 0}`)
	api.ExitOnStart("devstack-snapshot-demo-ls", 0, "[]")
	api.ExitOnStart("devstack-snapshot-demo-save", 0, `{"name":"auto-x"}`)
	res, err := AutoSaveAnonymous(ctx, api, p, cs, time.Date(2026, 12, 6, 14, 0, 0, 0, time.UTC), helper, progress.Discard)
	if err != nil || res.Name != "auto-2026-12-06T14-00-00" || strings.Join(res.Volumes, ",") != "anon-db-1-cache" {
		t.Errorf("%+v %v", res, err)
	}
	api.ExitOnStart("devstack-snapshot-demo-du", 0, `{"anon-db-1-cache": 0, "anon-web-1-tmp": 0}`)
	if res, err := AutoSaveAnonymous(ctx, api, p, cs, time.Now(), helper, progress.Discard); err != nil || res.Name != "" {
		t.Errorf("all empty: %+v %v", res, err)
	}
}
