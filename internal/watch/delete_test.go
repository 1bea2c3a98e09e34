package watch

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	dtypes "github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
)

// execRecorder is the fake engine with exec modelled as far as a delete
// needs it: every command succeeds, and is recorded as "CONTAINER: CMD".
type execRecorder struct {
	*dockerapi.FakeClient
	mu  sync.Mutex
	ran []string
}

func (e *execRecorder) ContainerExecCreate(_ context.Context, id string, o container.ExecOptions) (container.ExecCreateResponse, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ran = append(e.ran, id+": "+strings.Join(o.Cmd, " "))
	return container.ExecCreateResponse{ID: "exec"}, nil
}

func (e *execRecorder) ContainerExecAttach(context.Context, string, container.ExecAttachOptions) (dtypes.HijackedResponse, error) {
	conn, peer := net.Pipe()
	peer.Close()
	return dtypes.HijackedResponse{Conn: conn, Reader: bufio.NewReader(strings.NewReader(""))}, nil
}

func (e *execRecorder) ContainerExecInspect(context.Context, string) (container.ExecInspect, error) {
	return container.ExecInspect{}, nil
}

type events struct {
	mu     sync.Mutex
	lines  []string
	states []string // KindWatchState events: "SERVICE STATE FILES"
}

func (e *events) Event(ev progress.Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if ev.Kind == progress.KindWatchState {
		e.states = append(e.states, fmt.Sprintf("%s %s %d", ev.Name, ev.Watch.State, ev.Watch.Files))
		return
	}
	e.lines = append(e.lines, ev.String())
}

// runContainer starts service's container of project p in the fake engine.
func runContainer(t *testing.T, api *dockerapi.FakeClient, service string) string {
	t.Helper()
	ctx := context.Background()
	labels := map[string]string{convert.LabelProject: "p", convert.LabelService: service, convert.LabelNumber: "1"}
	c, err := api.ContainerCreate(ctx, &container.Config{Image: "busybox", Labels: labels}, nil, nil, nil, "p-"+service+"-1")
	if err == nil {
		err = api.ContainerStart(ctx, c.ID, container.StartOptions{})
	}
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// TestDeleteReachesEveryTrigger: a file deleted from a directory that two
// services (and two rules of one service) sync is deleted by every rule,
// and the line says delete.
func TestDeleteReachesEveryTrigger(t *testing.T) {
	t.Setenv("DEVSTACK_WATCH_COPY", "copy") // CopyToContainer and rm -rf execs: what the fake models
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	mustMkdir(t, src)
	write(t, filepath.Join(src, "one.txt"))
	write(t, filepath.Join(src, "two.txt"))

	fake := dockerapi.NewFakeClient()
	fake.AddImage("busybox", nil)
	api := &execRecorder{FakeClient: fake}
	ids := map[string]string{runContainer(t, fake, "a"): "a", runContainer(t, fake, "b"): "b"}
	a := trig(t, "a", types.WatchActionSync, src)
	b1 := trig(t, "b", types.WatchActionSync, src)
	b2 := trig(t, "b", types.WatchActionSync, src)
	b2.Index, b2.Target = 1, "/mirror"
	out := &events{}
	r := &runner{api: api, p: &types.Project{Name: "p", WorkingDir: dir}, out: out,
		triggers: []Trigger{a, b1, b2}, known: newKnownSets(), stamps: newStamps(), backs: newFollowers(), clock: RealClock{}, guard: newLoopGuard(RealClock{}, 0)}
	r.boxes = newBoxes(api)
	defer r.boxes.closeAll()
	for i := range r.triggers {
		r.known.of(&r.triggers[i]).add(walkTrigger(&r.triggers[i])...)
	}

	if err := os.Remove(filepath.Join(src, "one.txt")); err != nil {
		t.Fatal(err)
	}
	r.handle(context.Background(), []string{filepath.Join(src, "one.txt")})
	var ran []string
	for _, cmd := range api.ran {
		id, rest, _ := strings.Cut(cmd, ": ")
		ran = append(ran, ids[id]+": "+rest)
	}
	slices.Sort(ran)
	want := []string{"a: rm -rf -- /app/one.txt", "b: rm -rf -- /app/one.txt", "b: rm -rf -- /mirror/one.txt"}
	if !slices.Equal(ran, want) {
		t.Errorf("ran\n  %s\nwant\n  %s", strings.Join(ran, "\n  "), strings.Join(want, "\n  "))
	}
	for i, s := range []string{"a", "b"} {
		if i >= len(out.lines) || !strings.HasPrefix(out.lines[i], "watch: "+s+" delete 1 file (src/one.txt) in ") {
			t.Errorf("lines %q, want %s's to say delete", out.lines, s)
		}
	}

	if want := []string{"a syncing 1", "a watching 0", "b syncing 1", "b watching 0"}; !slices.Equal(out.states, want) {
		t.Errorf("watch states %q, want %q", out.states, want)
	}

	// The next batch deletes nothing again, and a new file is a sync.
	api.ran = nil
	out.lines = nil
	write(t, filepath.Join(src, "three.txt"))
	r.handle(context.Background(), []string{filepath.Join(src, "one.txt"), filepath.Join(src, "three.txt")})
	if len(api.ran) != 0 {
		t.Errorf("deleted again: %q", api.ran)
	}
	for id, s := range ids {
		if _, ok := fake.File(id, "/app/three.txt"); !ok {
			t.Errorf("%s has no /app/three.txt", s)
		}
	}
	if _, ok := fake.File(idOf(ids, "b"), "/mirror/three.txt"); !ok {
		t.Error("b has no /mirror/three.txt")
	}
}

func idOf(ids map[string]string, service string) string {
	for id, s := range ids {
		if s == service {
			return id
		}
	}
	return ""
}
