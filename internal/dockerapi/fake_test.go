package dockerapi

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/volume"
	"github.com/docker/docker/pkg/stdcopy"
)

var ctx = context.Background()

// must is v, the result of a call that is not what the test is about.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func create(t *testing.T, f *FakeClient, name string, labels map[string]string, host *container.HostConfig) string {
	t.Helper()
	return must(f.ContainerCreate(ctx, &container.Config{Image: "busybox", Labels: labels}, host, nil, nil, name)).ID
}

// A container's life: create, start, stop, remove, with the engine's
// answers to what it refuses.
func TestFakeContainerLife(t *testing.T) {
	f := NewFakeClient()
	if _, err := f.ContainerCreate(ctx, &container.Config{Image: "busybox"}, nil, nil, nil, "app"); !errdefs.IsNotFound(err) {
		t.Fatalf("create without the image: %v", err)
	}
	f.AddImage("busybox", nil)
	id := create(t, f, "app", map[string]string{"app": "x"}, nil)
	if _, err := f.ContainerCreate(ctx, &container.Config{Image: "busybox"}, nil, nil, nil, "app"); !errdefs.IsConflict(err) {
		t.Fatalf("second create of the name: %v", err)
	}
	list := must(f.ContainerList(ctx, container.ListOptions{}))
	if len(list) != 0 {
		t.Fatalf("a created container listed without All: %v", list)
	}
	noErr(t, f.ContainerStart(ctx, "app", container.StartOptions{}))
	c := must(f.ContainerInspect(ctx, id[:10]))
	if !c.State.Running || c.NetworkSettings.Networks["bridge"].IPAddress != "172.17.0.2" {
		t.Fatalf("started: %+v %+v", c.State, c.NetworkSettings.Networks)
	}
	if err := f.ContainerRemove(ctx, "app", container.RemoveOptions{}); !errdefs.IsConflict(err) {
		t.Fatalf("remove while running: %v", err)
	}
	noErr(t, f.ContainerStop(ctx, id, container.StopOptions{}))
	list = must(f.ContainerList(ctx, container.ListOptions{Filters: filters.NewArgs(filters.Arg("status", "exited"), filters.Arg("label", "app=x"))}))
	if len(list) != 1 || list[0].Status != "Exited (0) Less than a second ago" {
		t.Fatalf("exited list %+v", list)
	}
	noErr(t, f.ContainerRemove(ctx, "app", container.RemoveOptions{}))
	if _, err := f.ContainerInspect(ctx, "app"); !errdefs.IsNotFound(err) || !strings.Contains(err.Error(), "No such container: app") {
		t.Fatalf("inspect after remove: %v", err)
	}
}

// The events stream carries what changed, filtered as the engine filters.
func TestFakeEvents(t *testing.T) {
	f := NewFakeClient()
	f.AddImage("busybox", nil)
	cctx, cancel := context.WithCancel(ctx)
	msgs, errs := f.Events(cctx, events.ListOptions{Filters: filters.NewArgs(filters.Arg("type", "container"), filters.Arg("label", "app=x"))})
	create(t, f, "other", nil, nil)
	create(t, f, "app", map[string]string{"app": "x"}, nil)
	noErr(t, f.ContainerStart(ctx, "app", container.StartOptions{}))
	noErr(t, f.Exit("app", 3))
	var got []string
	for range 3 {
		m := <-msgs
		got = append(got, string(m.Action)+" "+m.Actor.Attributes["name"]+" "+m.Actor.Attributes["exitCode"])
	}
	if !slices.Equal(got, []string{"create app ", "start app ", "die app 3"}) {
		t.Fatalf("events %q", got)
	}
	cancel()
	if err := <-errs; !errors.Is(err, context.Canceled) {
		t.Fatalf("stream ended with %v", err)
	}
}

// Health is the test's to set; the engine reports it in state and events.
func TestFakeHealth(t *testing.T) {
	f := NewFakeClient()
	f.AddImage("busybox", nil)
	must(f.ContainerCreate(ctx, &container.Config{Image: "busybox", Healthcheck: &container.HealthConfig{Test: []string{"CMD", "true"}}}, nil, nil, nil, "db"))
	f.HealthOnStart("db", container.Healthy)
	noErr(t, f.ContainerStart(ctx, "db", container.StartOptions{}))
	if h := must(f.ContainerInspect(ctx, "db")).State.Health; h.Status != container.Healthy || len(h.Log) != 1 {
		t.Fatalf("health %+v", h)
	}
	noErr(t, f.SetHealth("db", container.Unhealthy, "refused"))
	list := must(f.ContainerList(ctx, container.ListOptions{Filters: filters.NewArgs(filters.Arg("health", "unhealthy"))}))
	if len(list) != 1 || !strings.HasSuffix(list[0].Status, "(unhealthy)") {
		t.Fatalf("list %+v", list)
	}
	var actions []string
	for _, m := range f.Sent() {
		actions = append(actions, string(m.Action))
	}
	if !slices.Contains(actions, "health_status: healthy") || !slices.Contains(actions, "health_status: unhealthy") {
		t.Fatalf("events %q", actions)
	}
}

// Networks and volumes in use are not removed; RemoveVolumes takes a
// container's anonymous volumes, not the named ones.
func TestFakeNetworksAndVolumes(t *testing.T) {
	f := NewFakeClient()
	f.AddImage("busybox", nil)
	must(f.NetworkCreate(ctx, "net", network.CreateOptions{Labels: map[string]string{"p": "1"}}))
	if _, err := f.NetworkCreate(ctx, "net", network.CreateOptions{}); !errdefs.IsConflict(err) {
		t.Fatalf("second network of the name: %v", err)
	}
	id := create(t, f, "app", nil, &container.HostConfig{NetworkMode: "net", Binds: []string{"named:/data"},
		Mounts: []mount.Mount{{Type: "volume", Target: "/anon"}}})
	noErr(t, f.ContainerStart(ctx, id, container.StartOptions{}))
	if err := f.NetworkRemove(ctx, "net"); !errdefs.IsPermissionDenied(err) {
		t.Fatalf("remove a network in use: %v", err)
	}
	if err := f.VolumeRemove(ctx, "named", false); !errdefs.IsConflict(err) {
		t.Fatalf("remove a volume in use: %v", err)
	}
	if vols := must(f.VolumeList(ctx, volume.ListOptions{})).Volumes; len(vols) != 2 {
		t.Fatalf("volumes %v", vols)
	}
	noErr(t, f.ContainerRemove(ctx, id, container.RemoveOptions{Force: true, RemoveVolumes: true}))
	vols := must(f.VolumeList(ctx, volume.ListOptions{})).Volumes
	if len(vols) != 1 || vols[0].Name != "named" {
		t.Fatalf("volumes after remove -v %v", vols)
	}
	noErr(t, f.NetworkRemove(ctx, "net"))
	nets := must(f.NetworkList(ctx, network.ListOptions{Filters: filters.NewArgs(filters.Arg("label", "p=1"))}))
	if len(nets) != 0 {
		t.Fatalf("networks %v", nets)
	}
}

// Injected errors fail the call they name, once; the call log has every call.
func TestFakeFailures(t *testing.T) {
	f := NewFakeClient()
	f.AddImage("busybox", nil)
	boom := errors.New("boom")
	create(t, f, "app", nil, nil)
	create(t, f, "bob", nil, nil)
	f.FailOn("ContainerStart", "bob", boom)
	noErr(t, f.ContainerStart(ctx, "app", container.StartOptions{}))
	if err := f.ContainerStart(ctx, "bob", container.StartOptions{}); err != boom {
		t.Fatalf("start b: %v", err)
	}
	noErr(t, f.ContainerStart(ctx, "bob", container.StartOptions{}))
	if n := f.Count("ContainerStart"); n != 3 {
		t.Fatalf("%d starts logged", n)
	}
	f.GoAway()
	if _, err := f.Ping(ctx); !errdefs.IsUnavailable(err) {
		t.Fatalf("ping after GoAway: %v", err)
	}
}

// Pulls get what the registry has; logs come framed as the engine frames them.
func TestFakePullAndLogs(t *testing.T) {
	f := NewFakeClient()
	if _, err := f.ImagePull(ctx, "nosuch", image.PullOptions{}); !errdefs.IsNotFound(err) {
		t.Fatalf("pull of nothing: %v", err)
	}
	id := f.AddPullable("busybox", nil)
	rc := must(f.ImagePull(ctx, "busybox", image.PullOptions{}))
	body, _ := io.ReadAll(rc)
	if !strings.Contains(string(body), "Downloaded newer image") {
		t.Fatalf("pull stream %s", body)
	}
	if got := must(f.ImageInspect(ctx, "docker.io/library/busybox:latest")).ID; got != id {
		t.Fatalf("pulled %s, want %s", got, id)
	}
	create(t, f, "app", nil, nil)
	f.ExitOnStart("app", 1, "cannot open datadir")
	noErr(t, f.ContainerStart(ctx, "app", container.StartOptions{}))
	wait, _ := f.ContainerWait(ctx, "app", container.WaitConditionNotRunning)
	select {
	case w := <-wait:
		if w.StatusCode != 1 {
			t.Fatalf("exit %d", w.StatusCode)
		}
	case <-time.After(time.Second):
		t.Fatal("wait did not return")
	}
	rc = must(f.ContainerLogs(ctx, "app", container.LogsOptions{Tail: "5"}))
	var out strings.Builder
	must(stdcopy.StdCopy(&out, &out, rc))
	if out.String() != "cannot open datadir\n" {
		t.Fatalf("logs %q", out.String())
	}
}

// A build tags a new image made from a present base; a failing step ends
// the stream with the engine's error. A push publishes what a pull gets.
func TestFakeBuildAndPush(t *testing.T) {
	f := NewFakeClient()
	f.AddImage("busybox", nil)
	buildOf := func(dockerfile string) string {
		var ctxTar bytes.Buffer
		tw := tar.NewWriter(&ctxTar)
		noErr(t, tw.WriteHeader(&tar.Header{Name: "Dockerfile", Mode: 0o644, Size: int64(len(dockerfile))}))
		must(tw.Write([]byte(dockerfile)))
		noErr(t, tw.Close())
		resp := must(f.ImageBuild(ctx, &ctxTar, build.ImageBuildOptions{Tags: []string{"reg.example/app:1"}}))
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	if out := buildOf("FROM busybox\nRUN exit 3\n"); !strings.Contains(out, "returned a non-zero code: 3") {
		t.Fatalf("failing build said %s", out)
	}
	if out := buildOf("FROM busybox\nRUN make\n"); !strings.Contains(out, "Successfully tagged reg.example/app:1") {
		t.Fatalf("build said %s", out)
	}
	id := must(f.ImageInspect(ctx, "reg.example/app:1")).ID
	must(f.ImagePush(ctx, "reg.example/app:1", image.PushOptions{}))
	must(f.ImageRemove(ctx, "reg.example/app:1", image.RemoveOptions{}))
	must(f.ImagePull(ctx, "reg.example/app:1", image.PullOptions{}))
	if got := must(f.ImageInspect(ctx, "reg.example/app:1")).ID; got != id {
		t.Fatalf("pulled %s, pushed %s", got, id)
	}
}

// Images are found by reference, full ID or ID prefix; nothing else.
func TestFakeImageRefs(t *testing.T) {
	f := NewFakeClient()
	id := f.AddImage("nginx:1.27", nil)
	for _, ref := range []string{"nginx:1.27", "docker.io/library/nginx:1.27", id, id[7:], id[7:19]} {
		if _, err := f.ImageInspect(ctx, ref); err != nil {
			t.Errorf("%s: %v", ref, err)
		}
	}
	for _, ref := range []string{"nginx", "s", "sha256", "nginx:1.28"} {
		if _, err := f.ImageInspect(ctx, ref); !errdefs.IsNotFound(err) {
			t.Errorf("%s: %v", ref, err)
		}
	}
}

// Logs keep the times they were printed at: Timestamps shows them, Since
// picks from one on, Tail the last lines; a last line may lack its newline.
func TestFakeLogs(t *testing.T) {
	f := NewFakeClient()
	f.AddImage("busybox", nil)
	create(t, f, "app", nil, nil)
	t0 := time.Date(2026, 1, 2, 10, 0, 0, 1, time.UTC)
	noErr(t, f.Print("app", t0, "ready\r\n"))
	noErr(t, f.Print("app", t0.Add(time.Second), "one\nlast"))
	read := func(o container.LogsOptions) string {
		var out strings.Builder
		must(stdcopy.StdCopy(&out, &out, must(f.ContainerLogs(ctx, "app", o))))
		return out.String()
	}
	if got := read(container.LogsOptions{Timestamps: true, Tail: "1"}); got != "2026-01-02T10:00:01.000000001Z last" {
		t.Errorf("tail 1: %q", got)
	}
	if got := read(container.LogsOptions{Since: "1767348001.000000001"}); got != "one\nlast" {
		t.Errorf("since: %q", got)
	}
	if got := read(container.LogsOptions{}); got != "ready\r\none\nlast" {
		t.Errorf("all: %q", got)
	}
}

func TestFakeDistributionInspect(t *testing.T) {
	f := NewFakeClient()
	ctx := context.Background()
	id := f.AddPullable("reg.example/app:1", nil)
	d, err := f.DistributionInspect(ctx, "reg.example/app:1", "")
	if err != nil || d.Descriptor.Digest.String() != id || len(d.Platforms) != 1 {
		t.Fatalf("got %+v, %v; want digest %s", d, err, id)
	}
	if _, err := f.DistributionInspect(ctx, "reg.example/app:2", ""); !errdefs.IsUnauthorized(err) {
		t.Errorf("an image the registry lacks: %v", err)
	}
}
