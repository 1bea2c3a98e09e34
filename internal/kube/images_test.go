package kube

import (
	"context"
	"errors"
	"testing"

	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"

	"github.com/devstack/devstack/internal/composetest"
	"github.com/devstack/devstack/internal/kube/wire"
)

type inspector map[string]image.InspectResponse

func (f inspector) ImageInspect(_ context.Context, ref string, _ ...client.ImageInspectOption) (image.InspectResponse, error) {
	if r, ok := f[ref]; ok {
		return r, nil
	}
	return image.InspectResponse{}, errors.New("No such image: " + ref)
}

func TestBuiltImages(t *testing.T) {
	const d1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
	const d2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222"
	p := composetest.Load(t, `services:
  pushed: {image: "127.0.0.1:5000/demo/web:1", build: .}
  local: {build: .}
  other: {image: "reg.example/app:2", build: .}
  gone: {image: "reg.example/gone:1", build: .}
  pulled: {image: "nginx:1"}`)
	api := inspector{
		"127.0.0.1:5000/demo/web:1": {ID: "sha256:aa", RepoDigests: []string{"127.0.0.1:5000/demo/web@" + d1}},
		"demo-local":                {ID: "sha256:bb"},
		// Pushed elsewhere only (another repository): not pinned.
		"reg.example/app:2": {ID: "sha256:cc", RepoDigests: []string{"reg.example/mirror/app@" + d2}},
		"nginx:1":           {ID: "sha256:dd", RepoDigests: []string{"nginx@" + d2}},
	}
	got, err := BuiltImages(context.Background(), api, p)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]wire.Image{
		"pushed": {ID: "sha256:aa", Digest: d1},
		"local":  {ID: "sha256:bb"},
		"other":  {ID: "sha256:cc"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: got %+v, want %+v", k, got[k], w)
		}
	}
}

func TestBuiltImagesCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p := composetest.Load(t, "services: {a: {build: .}}")
	if _, err := BuiltImages(ctx, inspector{}, p); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}
