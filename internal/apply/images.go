package apply

import (
	"context"
	"fmt"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/registry"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
)

// ImageOptions mirror `up --build` and `--pull`, with what pulls and
// builds need besides the engine.
type ImageOptions struct {
	Build bool   // build every service that has a build section
	Pull  string // override pull_policy: always, missing, never ("" keeps each service's)
	// Auth gives pulls and builds their registry credentials (nil: none).
	Auth Registry
	// BuildKit builds when enabled (nil: the classic builder only).
	BuildKit BuildKit
	// What `build` adds to each build: --no-cache, --pull (of the base
	// images), --build-arg (over the build section's args).
	NoCache, PullBase bool
	BuildArgs         map[string]*string
}

// Registry finds registry credentials (registryauth.Store).
type Registry interface {
	// Encoded is the X-Registry-Auth value for an image ("" for none).
	Encoded(ref string) (string, error)
	// All is every registry's credentials, for the classic builder.
	All() (map[string]registry.AuthConfig, error)
}

// DefaultImageNames gives services that build but name no image the name
// compose gives them: <project>-<service>. Pure.
func DefaultImageNames(p *types.Project) {
	for name, s := range p.Services {
		if s.Image == "" && s.Build != nil {
			s.Image = p.Name + "-" + name
			p.Services[name] = s
		}
	}
}

// EnsureImages builds or pulls what each service needs, following
// pull_policy, and returns each service's image ID. Pulls run
// concurrently, then the builds, independent ones at the same time.
func EnsureImages(ctx context.Context, api dockerapi.ImageBuilder, p *types.Project, o ImageOptions, out progress.Progress) (map[string]string, error) {
	var firsts []types.ServiceConfig // the first service naming each image
	seen := map[string]bool{}
	for _, name := range p.ServiceNames() {
		s := p.Services[name]
		if s.Image == "" {
			return nil, fmt.Errorf("service %s: neither image nor build is set", name)
		}
		if !seen[s.Image] {
			seen[s.Image] = true
			firsts = append(firsts, s)
		}
	}
	steps := make([]imageStep, len(firsts))
	var pulls []pullReq
	for i, s := range firsts {
		step, err := decideImage(ctx, api, s, o)
		if err != nil {
			return nil, err
		}
		steps[i] = step
		if step.pull {
			pulls = append(pulls, pullReq{Service: s.Name, Image: s.Image, Platform: s.Platform})
		}
	}
	failed := pullAll(ctx, api, o.Auth, pulls, out)
	var builds []types.ServiceConfig
	for i, s := range firsts {
		if steps[i].build {
			builds = append(builds, s)
		}
	}
	if err := buildAll(ctx, api, p, builds, o, out); err != nil {
		return nil, err
	}
	byRef := map[string]string{}
	for i, s := range firsts {
		id, err := steps[i].finish(ctx, api, p, s, o, failed[s.Image], out)
		if err != nil {
			return nil, err
		}
		byRef[s.Image] = id
	}
	ids := map[string]string{}
	for name, s := range p.Services {
		ids[name] = byRef[s.Image]
	}
	return ids, nil
}

// imageStep is what one image needs: a build, a pull, or nothing.
type imageStep struct {
	build, pull bool
	presentID   string // "" when the image is not there
}

// decideImage follows pull_policy (or --pull) and --build for the image.
func decideImage(ctx context.Context, api dockerapi.ImageAPI, s types.ServiceConfig, o ImageOptions) (imageStep, error) {
	policy := s.PullPolicy
	if o.Pull != "" {
		policy = o.Pull
	}
	inspect, err := api.ImageInspect(ctx, s.Image)
	present := err == nil
	if err != nil && !errdefs.IsNotFound(err) {
		return imageStep{}, fmt.Errorf("service %s: inspect image %s: %w", s.Name, s.Image, err)
	}
	step := imageStep{}
	if present {
		step.presentID = inspect.ID
	}
	switch {
	case needsBuild(s, o, present):
		if s.Build == nil {
			return step, fmt.Errorf("service %s: pull_policy build but no build section", s.Name)
		}
		step.build = true
	case policy == types.PullPolicyAlways || (!present && policy != types.PullPolicyNever):
		step.pull = true
	case !present:
		return step, fmt.Errorf("%w: service %s: image %s is not present locally and pull_policy is never", ErrImageUnavailable, s.Name, s.Image)
	}
	return step, nil
}

// finish reports a failed pull (falling back to the local image when
// there is one) and returns the image's ID (built by then, when it builds).
func (st imageStep) finish(ctx context.Context, api dockerapi.ImageAPI, p *types.Project, s types.ServiceConfig, o ImageOptions, pullErr error, out progress.Progress) (string, error) {
	switch {
	case st.build:
	case st.pull && pullErr != nil:
		if st.presentID == "" {
			return "", pullErr
		}
		progress.Warnf(out, "service %s: pull failed, using the local image: %v", s.Name, pullErr)
		return st.presentID, nil
	case !st.pull:
		return st.presentID, nil
	}
	inspect, err := api.ImageInspect(ctx, s.Image)
	if err != nil {
		return "", fmt.Errorf("%w: service %s: image %s: %v", ErrImageUnavailable, s.Name, s.Image, err)
	}
	return inspect.ID, nil
}

func needsBuild(s types.ServiceConfig, o ImageOptions, present bool) bool {
	if s.Build == nil {
		return s.PullPolicy == types.PullPolicyBuild
	}
	return o.Build || s.PullPolicy == types.PullPolicyBuild || !present
}
