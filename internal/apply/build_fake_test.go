package apply

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/image"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/progress"
)

// buildYAML is a service that builds from a context holding dockerfile.
func buildYAML(t *testing.T, image, dockerfile string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	img := ""
	if image != "" {
		img = ", image: " + image
	}
	return fmt.Sprintf("services: {app: {build: {context: %q}%s}}", dir, img)
}

// A service without its image builds it (named <project>-<service>, labelled
// with both) and runs it; up --build builds it again and recreates.
func TestUpBuilds(t *testing.T) {
	s := newFakeStack(t)
	yaml := buildYAML(t, "", "FROM busybox:1.36\nRUN make\n")
	s.mustUp(yaml, UpOptions{})
	img, err := s.api.ImageInspect(context.Background(), "demo-app")
	if err != nil {
		t.Fatal(err)
	}
	if l := img.Config.Labels; l[convert.LabelProject] != "demo" || l[convert.LabelService] != "app" {
		t.Errorf("image labels %v", l)
	}
	if got := s.inspect("demo-app-1").Image; got != img.ID {
		t.Errorf("app runs %s, want the built %s", got, img.ID)
	}
	if !s.out.saw(progress.KindImage, "demo-app", "Built") {
		t.Errorf("progress %v", s.out.events)
	}
	res := s.mustUp(yaml, UpOptions{ImageOptions: ImageOptions{Build: true}})
	if got := res.Plan.String(); !strings.Contains(got, "RecreateContainer, image changed") {
		t.Errorf("plan:\n%s", got)
	}
}

// A failing step fails up naming the step; so does a base image that is
// not to be had. Nothing is created.
func TestUpBuildFails(t *testing.T) {
	for _, tt := range []struct{ dockerfile, want string }{
		{"FROM busybox:1.36\nRUN false\n", "at Step 2/2 : RUN false: The command '/bin/sh -c false' returned a non-zero code: 1"},
		{"FROM nosuch:1\n", "pull access denied for nosuch:1"},
	} {
		s := newFakeStack(t)
		_, err := s.up(buildYAML(t, "", tt.dockerfile), UpOptions{})
		if !errors.Is(err, ErrBuildFailed) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("error %v, want %q", err, tt.want)
		}
		s.wantStates()
	}
}

// build of several services builds each; push publishes them to their
// registry, where a pull finds them; a missing one fails the push.
func TestBuildPushPull(t *testing.T) {
	s := newFakeStack(t)
	ctx := context.Background()
	p := load(t, buildYAML(t, "127.0.0.1:5000/app:1", "FROM busybox:1.36\n"))
	targets := BuildTargets(p, nil)
	if err := BuildServices(ctx, s.api, p, targets, ImageOptions{}, s.out); err != nil {
		t.Fatal(err)
	}
	push, err := PushTargets(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := Push(ctx, s.api, push, PushOptions{}, s.out); err != nil {
		t.Fatal(err)
	}
	if !s.out.saw(progress.KindImage, "127.0.0.1:5000/app:1", "Pushed") {
		t.Errorf("progress %v", s.out.events)
	}
	if _, err := s.api.ImageRemove(ctx, "127.0.0.1:5000/app:1", image.RemoveOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := Pull(ctx, s.api, p, PullOptions{}, s.out); err != nil {
		t.Fatalf("pull of what was pushed: %v", err)
	}
	if _, err := s.api.ImageRemove(ctx, "127.0.0.1:5000/app:1", image.RemoveOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := Push(ctx, s.api, push, PushOptions{}, s.out); err == nil || !strings.Contains(err.Error(), "does not exist locally") {
		t.Errorf("push of a missing image: %v", err)
	}
	if err := Push(ctx, s.api, push, PushOptions{IgnoreFailures: true}, s.out); err != nil {
		t.Errorf("push --ignore-push-failures: %v", err)
	}
}

// The watch's rebuild builds the image again and recreates the service's
// containers; a config change alone recreates them too, and nothing else.
func TestRebuildAndRecreateService(t *testing.T) {
	s := newFakeStack(t)
	yaml := buildYAML(t, "", "FROM busybox:1.36\n")
	s.mustUp(yaml, UpOptions{})
	old := s.containers()["demo-app-1"].ID
	ctx := context.Background()
	recreated, err := RebuildService(ctx, s.api, load(t, yaml), "app", ImageOptions{}, s.out)
	if err != nil || !recreated {
		t.Fatalf("rebuild: %v, recreated %v", err, recreated)
	}
	s.wantStates("demo-app-1 running")
	if s.containers()["demo-app-1"].ID == old {
		t.Error("not recreated")
	}

	s.mustUp(shopYAML, UpOptions{})
	db := s.containers()["demo-db-1"].ID
	recreated, err = RecreateService(ctx, s.api, load(t, shopChanged), "web", s.out)
	if err != nil || !recreated {
		t.Fatalf("recreate: %v, recreated %v", err, recreated)
	}
	if s.containers()["demo-db-1"].ID != db {
		t.Error("recreating web replaced db")
	}
	recreated, err = RecreateService(ctx, s.api, load(t, shopChanged), "web", s.out)
	if err != nil || recreated {
		t.Fatalf("recreate unchanged: %v, recreated %v", err, recreated)
	}
}
