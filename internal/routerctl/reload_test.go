package routerctl

import (
	"archive/tar"
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/router"
)

// reloading is the fake engine with a router that reloads as
// devstack-router does: at SIGHUP it takes the token written beside the
// routes, and marks it loaded once asked lag times (never for lag < 0).
type reloading struct {
	*dockerapi.FakeClient
	lag, asked int
	pending    string
}

func (e *reloading) ContainerKill(ctx context.Context, ref, signal string) error {
	if err := e.FakeClient.ContainerKill(ctx, ref, signal); err != nil {
		return err
	}
	if ref == Name && signal == "SIGHUP" {
		tok, _ := e.File(Name, RoutesDir+"/"+router.ReloadFile)
		e.pending, e.asked = string(tok), 0
	}
	return nil
}

func (e *reloading) ContainerStatPath(ctx context.Context, ref, path string) (container.PathStat, error) {
	if e.pending != "" && e.lag >= 0 {
		if e.asked++; e.asked >= e.lag {
			var buf bytes.Buffer
			tw := tar.NewWriter(&buf)
			_ = tw.WriteHeader(&tar.Header{Name: "routes/" + router.LoadedPrefix + e.pending, Mode: 0o600, Typeflag: tar.TypeReg})
			_ = tw.Close()
			if err := e.CopyToContainer(ctx, Name, "/", &buf, container.CopyToContainerOptions{}); err != nil {
				return container.PathStat{}, err
			}
			e.pending = ""
		}
	}
	return e.FakeClient.ContainerStatPath(ctx, ref, path)
}

// A router of this build is waited for until it serves what was written;
// one that never says so, at most loadWait; one of a build that does not
// say (unlabelled) is not asked.
func TestWriteWaitsForReload(t *testing.T) {
	r := newRig(t, "v1")
	r.eng.lag = 3
	r.attach()
	if n := r.api.Count("ContainerStatPath"); n != 3 {
		t.Errorf("asked %d times whether the routes are served, want 3 (until the router said so)", n)
	}
	tok, ok := r.api.File(Name, RoutesDir+"/"+router.ReloadFile)
	if _, marked := r.api.File(Name, RoutesDir+"/"+router.LoadedPrefix+string(tok)); !ok || !marked {
		t.Errorf("token %q written %v, marked %v", tok, ok, marked)
	}

	old := loadWait
	loadWait = 100 * time.Millisecond
	t.Cleanup(func() { loadWait = old })
	r.eng.lag = -1
	r.run("web", 2)
	start := time.Now()
	if err := Refresh(context.Background(), r.eng, r.cache, "shop"); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < loadWait || took > 10*loadWait {
		t.Errorf("a router that never says it serves the routes held Refresh %v (loadWait %v)", took, loadWait)
	}

	r = newRig(t, "")
	r.attach()
	if n := r.api.Count("ContainerStatPath"); n != 0 {
		t.Errorf("an unlabelled router was asked %d times", n)
	}
	if _, ok := r.api.File(Name, RoutesDir+"/"+router.ReloadFile); ok {
		t.Error("a reload token written for an unlabelled router")
	}
}
