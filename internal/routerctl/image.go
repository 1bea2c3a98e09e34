// Package routerctl runs devstack's local HTTPS router on the engine: the
// image it assembles itself (no registry, no base image), the one router
// container, and each project's routes in it (internal/router computes
// them). cli calls it from up, down, ps and devstack router.
package routerctl

import (
	"context"
	"errors"
	"fmt"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/selfimage"
)

const (
	// Name is the router container's name: one a engine.
	Name = "devstack-router"
	// Label marks the router's container and images.
	Label = "dev.devstack.router"
	// Repo is its images' repository; the tag is the program's hash.
	Repo = "devstack-router"
	// VersionLabel holds the build of the router program a router runs.
	VersionLabel = Label + ".version"
	// RoutesDir holds PROJECT.json in the container.
	RoutesDir = "/routes"
)

// Image is the router's image for one build of the program.
type Image struct {
	Ref string // devstack-router:HASH
	Tar []byte // a docker-archive (docker save) tar, one layer
}

// spec is the router's image: the program, an empty /routes, its ports.
var spec = selfimage.Spec{
	Program: Repo, Dirs: []string{"routes"}, ExposedPorts: []string{"80/tcp", "443/tcp"},
	Labels: map[string]string{Label: "1"},
}

// BuildImage assembles the image for program built for arch: one layer
// holding /devstack-router and an empty /routes, the program as entrypoint.
// Nothing else: no shell, no base image (package selfimage).
func BuildImage(program []byte, arch string) (Image, error) {
	img, err := selfimage.Build(spec, program, arch)
	return Image(img), err
}

// ensureImage loads the router's image for the engine's architecture
// unless the engine has it; it answers its reference.
func ensureImage(ctx context.Context, api dockerapi.API) (string, error) {
	ref, err := selfimage.Ensure(ctx, api, spec)
	if errors.Is(err, selfimage.ErrNoProgram) {
		return "", fmt.Errorf("%w: %v", ErrNoProgram, err)
	}
	return ref, err
}
