package watch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/dockerapi"
)

// TestCatchUpDirect catches a container (its root a directory here, as
// the direct way sees it) up with the host: changed, new and
// same-size-but-different files are copied, same ones left, a file only
// the container has deleted and an ignored one kept.
func TestCatchUpDirect(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("files are chowned to the container's user: needs root")
	}
	ctx := context.Background()
	dir := t.TempDir()
	src, ctr := filepath.Join(dir, "src"), filepath.Join(dir, "ctr")
	old := time.Unix(1_600_000_000, 0)
	put := func(name, content string, when time.Time) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(name, when, when); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []struct{ name, host, ctr string }{
		{"changed.txt", "new!", "old"}, {"same.txt", "same", "same"}, {"touched.txt", "abc", "abc"},
		{"sizesame.txt", "xyz", "XYZ"}, {"new/n.txt", "n", ""}, {"stray.txt", "", "stray"}, {"cache.tmp", "", "kept"},
	} {
		if f.host != "" {
			put(filepath.Join(src, f.name), f.host, old)
		}
		if f.ctr != "" {
			when := old
			if f.name == "touched.txt" || f.name == "sizesame.txt" {
				when = old.Add(time.Hour)
			}
			put(filepath.Join(ctr, "app", f.name), f.ctr, when)
		}
	}
	fake := dockerapi.NewFakeClient()
	fake.AddImage("busybox", nil)
	id := runContainer(t, fake, "web")
	ins, _ := fake.ContainerInspect(ctx, id)
	out := &events{}
	tr := trig(t, "web", types.WatchActionSync, src, "*.tmp")
	tr.InitialSync = true
	r := &runner{api: fake, p: &types.Project{Name: "p", WorkingDir: dir}, out: out, triggers: []Trigger{tr},
		known: newKnownSets(), stamps: newStamps(), backs: newFollowers(), clock: RealClock{}, guard: newLoopGuard(RealClock{}, 0)}
	r.boxes = newBoxes(fake)
	defer r.boxes.closeAll()
	root, err := os.OpenRoot(ctr)
	if err != nil {
		t.Fatal(err)
	}
	r.boxes.m[id] = &box{id: id, pid: ins.State.Pid, root: root}
	if err := r.initialSync(ctx, map[string][]string{"web": {id}}); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"changed.txt": "new!", "same.txt": "same", "touched.txt": "abc", "sizesame.txt": "xyz", "new/n.txt": "n", "cache.tmp": "kept"} {
		if b, err := os.ReadFile(filepath.Join(ctr, "app", name)); err != nil || string(b) != want {
			t.Errorf("%s holds %q (%v), want %q", name, b, err, want)
		}
	}
	if _, err := os.Lstat(filepath.Join(ctr, "app/stray.txt")); !os.IsNotExist(err) {
		t.Errorf("stray.txt not deleted: %v", err)
	}
	want := "watch: web initial sync 3 files (src/changed.txt, src/new/n.txt, src/sizesame.txt), delete 1 file (src/stray.txt)"
	if len(out.lines) != 1 || !strings.HasPrefix(out.lines[0], want) {
		t.Errorf("reported %q, want %q", out.lines, want)
	}
	// Again: up to date, said as such.
	out.lines = nil
	if err := r.initialSync(ctx, map[string][]string{"web": {id}}); err != nil {
		t.Fatal(err)
	}
	if len(out.lines) != 1 || !strings.Contains(out.lines[0], "src is up to date in the container (6 entries compared") {
		t.Errorf("second time: %q", out.lines)
	}
}
