package watch

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/logs"
)

const sharedYAML = `
services:
  api:
    image: shared:dev
    build: ./app
    develop: {watch: [{path: ./app, action: rebuild}]}
  worker:
    image: shared:dev
    build: ./app
    develop: {watch: [{path: ./app, action: rebuild}]}
  solo:
    build: ./app
    develop: {watch: [{path: ./app, action: rebuild}]}
`

// TestSharedImageBuiltOnce: a change that rebuilds two services naming one
// image and build builds it once and recreates both; a service with an
// image of its own (devstack names it) is built for itself.
func TestSharedImageBuiltOnce(t *testing.T) {
	dir := t.TempDir()
	put(t, filepath.Join(dir, "app", "version.txt"))
	must(t, os.WriteFile(filepath.Join(dir, "app", "Dockerfile"), []byte("FROM busybox:1.36\n"), 0o644))
	p, err := loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  dir,
		ConfigFiles: []types.ConfigFile{{Filename: filepath.Join(dir, "compose.yaml"), Content: []byte(sharedYAML)}},
		Environment: types.Mapping{},
	}, func(o *loader.Options) { o.SetProjectName("demo", true) })
	must(t, err)
	api := dockerapi.NewFakeClient()
	api.AddImage("busybox:1.36", nil)
	ctx := context.Background()
	if _, err := apply.Up(ctx, api, logs.NewMonitor(api, "demo"), p, apply.UpOptions{Known: p.ServiceNames()}, &events{}); err != nil {
		t.Fatal(err)
	}
	before := containerIDs(t, api)
	triggers, _, err := Triggers(p)
	must(t, err)
	out := &events{}
	r := &runner{api: api, p: p, out: out, triggers: triggers, known: newKnownSets(), stamps: newStamps(), backs: newFollowers(),
		clock: RealClock{}, guard: newLoopGuard(RealClock{}, 0), boxes: newBoxes(api)}
	defer r.boxes.closeAll()

	builds := api.Count("ImageBuild")
	r.handle(ctx, []string{filepath.Join(dir, "app", "version.txt")})
	if n := api.Count("ImageBuild") - builds; n != 2 {
		t.Errorf("%d builds, want 2 (shared:dev once, solo's own once)", n)
	}
	after := containerIDs(t, api)
	for _, s := range []string{"api", "worker", "solo"} {
		if after[s] == "" || after[s] == before[s] {
			t.Errorf("service %s not recreated: %s -> %s", s, before[s], after[s])
		}
	}
	text := strings.Join(out.lines, "\n")
	for _, want := range []string{"watch: services api, worker share image shared:dev: building it once",
		"watch: api rebuild 1 file (app/version.txt) in ", "watch: worker rebuild 1 file (app/version.txt) in ", "watch: solo rebuild 1 file"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
	if strings.Contains(text, "failed") {
		t.Errorf("a reload failed:\n%s", text)
	}
	want := []string{"api rebuilding 1", "worker rebuilding 1", "api watching 0", "worker watching 0", "solo rebuilding 1", "solo watching 0"}
	if !slices.Equal(out.states, want) {
		t.Errorf("states %q, want %q", out.states, want)
	}
}

func containerIDs(t *testing.T, api dockerapi.API) map[string]string {
	t.Helper()
	cs, err := containers.Observe(context.Background(), api, "demo")
	must(t, err)
	out := map[string]string{}
	for _, c := range cs {
		out[c.Service] = c.ID
	}
	return out
}
