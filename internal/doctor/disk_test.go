package doctor

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/volume"

	"github.com/devstack/devstack/internal/dockerapi"
)

const gib = 1 << 30

// An engine's answer as docker system df counts it: images in use keep
// their own layers, running containers their layer, volumes with a
// container theirs, build cache in use or shared is not reclaimable.
var bigEngine = types.DiskUsage{
	LayersSize: 10 * gib,
	Images: []*image.Summary{
		{ID: "a", Containers: 1, Size: 3 * gib, SharedSize: 1 * gib},
		{ID: "b", Containers: 0, Size: 4 * gib, SharedSize: 1 * gib},
		{ID: "c", Containers: 2, Size: -1, SharedSize: -1},
	},
	Containers: []*container.Summary{
		{ID: "r", State: container.StateRunning, SizeRw: 100 << 20},
		{ID: "x", State: container.StateExited, SizeRw: 2 * gib},
	},
	Volumes: []*volume.Volume{
		{Name: "used", UsageData: &volume.UsageData{RefCount: 1, Size: 5 * gib}},
		{Name: "left", UsageData: &volume.UsageData{RefCount: 0, Size: 512 << 20}},
		{Name: "nfs", UsageData: &volume.UsageData{RefCount: 0, Size: -1}},
	},
	BuildCache: []*build.CacheRecord{
		{ID: "1", InUse: true, Size: 1 * gib},
		{ID: "2", Size: 3 * gib},
		{ID: "3", Shared: true, Size: 7 * gib},
	},
}

func TestUsages(t *testing.T) {
	want := []Usage{
		{Kind: "images", Count: 3, Active: 2, SizeBytes: 10 * gib, ReclaimableBytes: 8 * gib},
		{Kind: "containers", Count: 2, Active: 1, SizeBytes: 2*gib + 100<<20, ReclaimableBytes: 2 * gib},
		{Kind: "volumes", Count: 3, Active: 1, SizeBytes: 5*gib + 512<<20, ReclaimableBytes: 512 << 20},
		{Kind: "build cache", Count: 3, Active: 1, SizeBytes: 4 * gib, ReclaimableBytes: 3 * gib},
	}
	got := usages(bigEngine)
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("got  %+v\nwant %+v", got[i], want[i])
		}
	}
	if got := usages(types.DiskUsage{}); len(got) != 4 || got[0] != (Usage{Kind: "images"}) {
		t.Errorf("empty engine: %+v", got)
	}
	podman := types.DiskUsage{Images: []*image.Summary{
		{ID: "a", Containers: 1, Size: 3 * gib, SharedSize: 3 * gib},
		{ID: "b", Size: 2 * gib, SharedSize: 2 * gib},
	}}
	if got, want := usages(podman)[0], (Usage{Kind: "images", Count: 2, Active: 1, SizeBytes: 5 * gib, ReclaimableBytes: 2 * gib, UpperBound: true}); got != want {
		t.Errorf("without LayersSize: got %+v, want %+v", got, want)
	}
}

func TestUsageResult(t *testing.T) {
	for _, tc := range []struct {
		u      Usage
		status Status
		line   string
	}{
		{Usage{Kind: "images", Count: 3, Active: 2, SizeBytes: 10 * gib, ReclaimableBytes: 8 * gib}, Note,
			"note  disk      the engine's images: 3, 2 in use, 10.0 GiB, 8.0 GiB reclaimable; to fix: docker image prune -a (removes the images no container uses)"},
		{Usage{Kind: "build cache", Count: 3, SizeBytes: 3 * gib, ReclaimableBytes: 3 * gib}, Note,
			"note  disk      the engine's build cache: 3, 0 in use, 3.0 GiB, 3.0 GiB reclaimable; to fix: docker builder prune"},
		{Usage{Kind: "volumes", Count: 3, Active: 1, SizeBytes: 5 * gib, ReclaimableBytes: 512 << 20}, OK,
			"ok    disk      the engine's volumes: 3, 1 in use, 5.0 GiB, 512.0 MiB reclaimable"},
		{Usage{Kind: "containers"}, OK, "ok    disk      the engine's containers: 0, 0 in use, 0 B, 0 B reclaimable"},
		{Usage{Kind: "images", Count: 2, Active: 1, SizeBytes: 5 * gib, ReclaimableBytes: 2 * gib, UpperBound: true}, Note,
			"note  disk      the engine's images: 2, 1 in use, at most 5.0 GiB, at most 2.0 GiB reclaimable; to fix: docker image prune -a (removes the images no container uses)"},
	} {
		r := usageResult(tc.u)
		if r.Status != tc.status || r.String() != tc.line || r.Usage == nil || *r.Usage != tc.u {
			t.Errorf("got  %s\nwant %s", r, tc.line)
		}
	}
}

// A remote engine: no statfs of its data root, but its own account of
// what it stores, in the lines and in the JSON.
func TestDiskRemoteEngine(t *testing.T) {
	api := dockerapi.NewFakeClient()
	api.SetDiskUsage(bigEngine)
	statfs := func(path string) (uint64, uint64, error) {
		if path != "/src/shop" {
			t.Errorf("statfs of %s", path)
		}
		return 50 * gib, 100 * gib, nil
	}
	r := Report(Disk(context.Background(), api, "ssh://me@build-box", "/src/shop", statfs, time.Second))
	out := r.String()
	for _, want := range []string{
		"skip  disk      the free space of the engine's data root /var/lib/docker is not known here: the engine runs on another machine\n",
		"note  disk      the engine's images: 3, 2 in use, 10.0 GiB, 8.0 GiB reclaimable; to fix: docker image prune -a",
		"note  disk      the engine's containers: 2, 1 in use, 2.1 GiB, 2.0 GiB reclaimable; to fix: docker container prune",
		"ok    disk      the engine's volumes: 3, 1 in use, 5.5 GiB, 512.0 MiB reclaimable\n",
		"note  disk      the engine's build cache: 3, 1 in use, 4.0 GiB, 3.0 GiB reclaimable; to fix: docker builder prune\n",
		"ok    disk      the project directory /src/shop has 50.0 GiB free of 100.0 GiB\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if r.Wrong() {
		t.Errorf("reclaimable space is no fault:\n%s", out)
	}
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"usage":{"kind":"images","count":3,"active":2,"size_bytes":10737418240,"reclaimable_bytes":8589934592}`,
		`"space":{"path":"/src/shop","free_bytes":53687091200,"total_bytes":107374182400}`,
	} {
		if !strings.Contains(string(js), want) {
			t.Errorf("missing %s in %s", want, js)
		}
	}
}

// An engine slow to add up its disk usage: the check gives up at the
// timeout (else the fake's answer would come, a minute later) and says
// so; the other disk lines still come.
func TestDiskUsageTimeout(t *testing.T) {
	api := dockerapi.NewFakeClient()
	api.SlowDiskUsage(time.Minute)
	r := Report(Disk(context.Background(), api, "unix:///var/run/docker.sock", "", func(string) (uint64, uint64, error) { return 50 * gib, 100 * gib, nil }, 50*time.Millisecond))
	want := "ok    disk      the engine's data root /var/lib/docker has 50.0 GiB free of 100.0 GiB\n" +
		"skip  disk      the engine did not say its disk usage within 50ms (it adds up every image, container, volume and build cache record): run docker system df and wait\n"
	if got := r.String(); got != want {
		t.Errorf("got\n%swant\n%s", got, want)
	}
}
