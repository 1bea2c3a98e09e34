package snapshot

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/volume"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/composetest"
	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/snapshot/manifest"
)

const flowYAML = `
services:
  db: {image: postgres:16, volumes: [data:/data], healthcheck: {test: ["CMD", "true"], interval: 1s}}
  web: {image: nginx:1.27, depends_on: [db]}
volumes:
  data: {}
`

var helper = Helper{Image: "devstack-snapshot:test"}

// upFlow is project demo up on the fake engine, db healthy.
func upFlow(t *testing.T) (*dockerapi.FakeClient, *types.Project) {
	t.Helper()
	api := dockerapi.NewFakeClient()
	for _, ref := range []string{"postgres:16", "nginx:1.27", helper.Image} {
		api.AddImage(ref, nil)
	}
	api.HealthOnStart("demo-db-1", container.Healthy)
	p := composetest.Load(t, flowYAML)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := apply.Up(ctx, api, logs.NewMonitor(api, p.Name), p, apply.UpOptions{Known: p.ServiceNames(), Wait: true}, progress.Discard); err != nil {
		t.Fatal(err)
	}
	return api, p
}

// calls are the fake's calls of these methods, "Method container"; a
// container gone since (a helper) is "helper".
func calls(api *dockerapi.FakeClient, methods ...string) []string {
	var out []string
	for _, c := range api.Calls() {
		if slices.Contains(methods, c.Method) {
			name := "helper"
			if st, err := api.ContainerInspect(context.Background(), c.Target); err == nil {
				name = strings.TrimPrefix(st.Name, "/")
			}
			out = append(out, c.Method+" "+name)
		}
	}
	return out
}

func state(t *testing.T, api *dockerapi.FakeClient, name string) string {
	t.Helper()
	st, err := api.ContainerInspect(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return st.State.Status
}

func helpersLeft(t *testing.T, api *dockerapi.FakeClient) []string {
	list, _ := api.ContainerList(context.Background(), container.ListOptions{All: true})
	var out []string
	for _, c := range list {
		if _, ok := c.Labels[LabelHelper]; ok {
			out = append(out, c.Names[0])
		}
	}
	return out
}

func saveOpts(p *types.Project, t *testing.T) SaveOptions {
	vols, err := Volumes(p, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return SaveOptions{Name: "s1", Volumes: vols, Helper: helper}
}

// Save pauses only the containers that mount the volumes, runs the
// helper with the volumes read-only and the store, and unpauses.
func TestSavePausesUsersOnly(t *testing.T) {
	api, p := upFlow(t)
	done, _ := json.Marshal(manifest.Manifest{Name: "s1", Volumes: []manifest.Volume{{Key: "data", Size: 10}}})
	api.ExitOnStart("devstack-snapshot-demo-save", 0, string(done))
	res, err := Save(context.Background(), api, "demo", saveOpts(p, t), progress.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if got := calls(api, "ContainerPause", "ContainerUnpause", "ContainerStart"); !slices.Equal(got[len(got)-3:], []string{
		"ContainerPause demo-db-1", "ContainerStart helper", "ContainerUnpause demo-db-1",
	}) {
		t.Errorf("calls %q", got)
	}
	if !slices.Equal(res.Held, []string{"demo-db-1"}) || res.Manifest.Volumes[0].Size != 10 {
		t.Errorf("result %+v", res)
	}
	if state(t, api, "demo-db-1") != "running" || len(helpersLeft(t, api)) != 0 {
		t.Errorf("db %s, helpers left %v", state(t, api, "demo-db-1"), helpersLeft(t, api))
	}
	vols, _ := api.VolumeList(context.Background(), volume.ListOptions{})
	if !slices.ContainsFunc(vols.Volumes, func(v *volume.Volume) bool { return v.Name == StoreVolume && v.Labels[LabelStore] == "1" }) {
		t.Errorf("no labelled store volume")
	}
}

// A failing copy, and a cancelled one, still unpause; the error is the
// helper's own line.
func TestSaveAlwaysUnpauses(t *testing.T) {
	api, p := upFlow(t)
	api.ExitOnStart("devstack-snapshot-demo-save", 1, "devstack-snapshot: volume demo_data: no space left on device")
	_, err := Save(context.Background(), api, "demo", saveOpts(p, t), progress.Discard)
	if err == nil || err.Error() != "volume demo_data: no space left on device" || !errors.Is(err, ErrHelper) {
		t.Fatalf("err %v", err)
	}
	if state(t, api, "demo-db-1") != "running" || len(helpersLeft(t, api)) != 0 {
		t.Errorf("after a failure: db %s, helpers %v", state(t, api, "demo-db-1"), helpersLeft(t, api))
	}

	api2, p2 := upFlow(t) // a helper that never ends: Ctrl-C
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	_, err = Save(ctx, api2, "demo", saveOpts(p2, t), progress.Discard)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	if state(t, api2, "demo-db-1") != "running" || len(helpersLeft(t, api2)) != 0 {
		t.Errorf("after Ctrl-C: db %s, helpers %v", state(t, api2, "demo-db-1"), helpersLeft(t, api2))
	}
}

// --stop stops the users (dependents first) and starts them again.
func TestSaveStop(t *testing.T) {
	api, p := upFlow(t)
	api.ExitOnStart("devstack-snapshot-demo-save", 0, `{"name":"s1"}`)
	o := saveOpts(p, t)
	o.Stop = true
	if _, err := Save(context.Background(), api, "demo", o, progress.Discard); err != nil {
		t.Fatal(err)
	}
	got := calls(api, "ContainerStop", "ContainerStart")
	if !slices.Equal(got[len(got)-3:], []string{"ContainerStop demo-db-1", "ContainerStart helper", "ContainerStart demo-db-1"}) {
		t.Errorf("calls %q", got)
	}
}

// Bad names and missing volumes are refused before anything happens.
func TestSaveRefuses(t *testing.T) {
	api, p := upFlow(t)
	o := saveOpts(p, t)
	o.Name = "../other"
	if _, err := Save(context.Background(), api, "demo", o, progress.Discard); err == nil || !strings.Contains(err.Error(), "bad snapshot name") {
		t.Errorf("bad name: %v", err)
	}
	o = saveOpts(p, t)
	o.Volumes = append(o.Volumes, Volume{Key: "gone", Name: "demo_gone"})
	if _, err := Save(context.Background(), api, "demo", o, progress.Discard); err == nil || err.Error() != "volume demo_gone does not exist (devstack up creates it)" {
		t.Errorf("missing volume: %v", err)
	}
	if n := api.Count("ContainerPause") + api.Count("ContainerCreate"); n != 2 { // up's two containers
		t.Errorf("%d pauses and creates", n)
	}
}

func listing(names ...string) string {
	var ms []manifest.Manifest
	for _, n := range names {
		ms = append(ms, manifest.Manifest{Name: n, Volumes: []manifest.Volume{{Key: "data", Name: "demo_data"}}})
	}
	b, _ := json.Marshal(ms)
	return string(b)
}

// Restore stops the users, restores, starts them and waits until healthy.
func TestRestore(t *testing.T) {
	api, p := upFlow(t)
	api.ExitOnStart("devstack-snapshot-demo-ls", 0, listing("a", "b"))
	api.ExitOnStart("devstack-snapshot-demo-stage", 0, `{}`)
	api.ExitOnStart("devstack-snapshot-demo-swap", 0, `{}`)
	res, err := Restore(context.Background(), api, p, RestoreOptions{Latest: true, Helper: helper}, progress.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if res.Manifest.Name != "b" || !slices.Equal(res.Restarted, []string{"demo-db-1"}) {
		t.Errorf("result %+v", res)
	}
	got := calls(api, "ContainerStop", "ContainerStart")
	if !slices.Equal(got[len(got)-5:], []string{"ContainerStart helper", "ContainerStart helper", "ContainerStop demo-db-1", "ContainerStart helper", "ContainerStart demo-db-1"}) {
		t.Errorf("calls %q", got)
	}
	st, _ := api.ContainerInspect(context.Background(), "demo-db-1")
	if st.State.Health == nil || st.State.Health.Status != container.Healthy {
		t.Errorf("db not healthy after the restore")
	}
}

// After down -v the volumes are created again (compose's labels); a failed
// restore removes those it created and starts nothing it did not stop.
func TestRestoreAfterDownV(t *testing.T) {
	api, p := upFlow(t)
	if err := apply.Down(context.Background(), api, "demo", apply.DownOptions{Volumes: true}, progress.Discard); err != nil {
		t.Fatal(err)
	}
	api.ExitOnStart("devstack-snapshot-demo-ls", 0, listing("a"))
	api.ExitOnStart("devstack-snapshot-demo-stage", 1, "devstack-snapshot: snapshot a: data.tar.zst is damaged (checksum mismatch): nothing restored")
	_, err := Restore(context.Background(), api, p, RestoreOptions{Name: "a", Helper: helper}, progress.Discard)
	if err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("damaged: %v", err)
	}
	if n := api.Count("ContainerStop"); n != 2 { // down -v's only
		t.Errorf("%d stops: a damaged snapshot stopped containers", n)
	}
	if n := api.Count("VolumeRemove"); n != 2 { // down -v's, and the one the restore had created
		t.Errorf("%d volume removals", n)
	}
	api.ExitOnStart("devstack-snapshot-demo-stage", 0, `{}`)
	api.ExitOnStart("devstack-snapshot-demo-swap", 0, `{}`)
	if _, err := Restore(context.Background(), api, p, RestoreOptions{Name: "a", Helper: helper}, progress.Discard); err != nil {
		t.Fatal(err)
	}
	vols, _ := api.VolumeList(context.Background(), volume.ListOptions{})
	if !slices.ContainsFunc(vols.Volumes, func(v *volume.Volume) bool {
		return v.Name == "demo_data" && v.Labels["com.docker.compose.project"] == "demo"
	}) {
		t.Errorf("demo_data not created with compose's labels: %v", vols.Volumes)
	}
	if _, err := Restore(context.Background(), api, p, RestoreOptions{Name: "zz", Helper: helper}, progress.Discard); !errors.Is(err, ErrNoSnapshot) {
		t.Errorf("missing snapshot: %v", err)
	}
}

// A tmpfs volume (local driver, type tmpfs) is refused before anything
// stops: it is emptied once no container mounts it.
func TestRestoreRefusesTmpfs(t *testing.T) {
	tmpfs := composetest.Load(t, strings.Replace(flowYAML, "data: {}", "data: {driver_opts: {type: tmpfs, device: tmpfs, o: size=8m}}", 1))
	for _, down := range []bool{false, true} { // the volume there (its options), and to be created (the compose file's)
		api := dockerapi.NewFakeClient()
		api.AddImage(helper.Image, nil)
		api.ExitOnStart("devstack-snapshot-demo-ls", 0, listing("a"))
		if !down {
			api.VolumeCreate(context.Background(), convert.VolumeCreate(tmpfs, "data"))
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := Restore(ctx, api, tmpfs, RestoreOptions{Name: "a", Helper: helper}, progress.Discard)
		cancel()
		if err == nil || err.Error() != "volume demo_data is a tmpfs (driver_opts type: tmpfs): its content lasts only while a container mounts it, and a restore stops them: nothing restored" {
			t.Fatalf("tmpfs (down %v): %v", down, err)
		}
		vols, _ := api.VolumeList(context.Background(), volume.ListOptions{})
		made := slices.ContainsFunc(vols.Volumes, func(v *volume.Volume) bool { return v.Name == "demo_data" })
		if api.Count("ContainerStop") != 0 || made == down {
			t.Errorf("down %v: %d stops, demo_data there: %v", down, api.Count("ContainerStop"), made)
		}
	}
}

// save --stop refuses a tmpfs volume before anything stops (stopping its
// users would empty it); a pausing save copies it.
func TestSaveStopRefusesTmpfs(t *testing.T) {
	tmpfs := composetest.Load(t, strings.Replace(flowYAML, "data: {}", "data: {driver_opts: {type: tmpfs, device: tmpfs, o: size=8m}}", 1))
	api := dockerapi.NewFakeClient()
	api.AddImage(helper.Image, nil)
	api.VolumeCreate(context.Background(), convert.VolumeCreate(tmpfs, "data"))
	o := saveOpts(tmpfs, t)
	o.Stop = true
	_, err := Save(context.Background(), api, "demo", o, progress.Discard)
	if err == nil || err.Error() != "volume demo_data is a tmpfs (driver_opts type: tmpfs): stopping the containers that mount it would empty it; save without --stop pauses them instead: nothing saved" {
		t.Fatalf("save --stop of a tmpfs: %v", err)
	}
	if n := api.Count("ContainerStop") + api.Count("ContainerCreate"); n != 0 {
		t.Errorf("%d stops and creates", n)
	}
	api.ExitOnStart("devstack-snapshot-demo-save", 0, `{"name":"s1"}`)
	o.Stop = false
	if _, err := Save(context.Background(), api, "demo", o, progress.Discard); err != nil {
		t.Errorf("pausing save of a tmpfs: %v", err)
	}
}
