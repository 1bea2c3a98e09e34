package apply

import (
	"context"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
)

// BuildPlan is `build`'s work, decided before the engine is reached: the
// images of the services with a build section and, with push, those
// pushed after them.
type BuildPlan struct {
	Project *types.Project
	Targets []types.ServiceConfig // built
	Pushes  []types.ServiceConfig // pushed after, with push
	push    bool
}

// PlanBuild names the project's images (DefaultImageNames) and plans
// `build`: with push, an image that cannot be pushed is refused here,
// before anything is built. Pure.
func PlanBuild(p *types.Project, push bool) (BuildPlan, error) {
	DefaultImageNames(p)
	b := BuildPlan{Project: p, Targets: BuildTargets(p, nil), push: push}
	if push {
		var err error
		if b.Pushes, err = PushTargets(p, nil); err != nil {
			return BuildPlan{}, err
		}
	}
	return b, nil
}

// Run builds the plan's images, independent ones at the same time, then
// pushes those it pushes.
func (b BuildPlan) Run(ctx context.Context, api dockerapi.ImageBuilder, o ImageOptions, po PushOptions, out progress.Progress) error {
	if err := BuildServices(ctx, api, b.Project, b.Targets, o, out); err != nil {
		return err
	}
	if !b.push {
		return nil
	}
	return Push(ctx, api, b.Pushes, po, out)
}

// BuildForNodes builds the services that have a build section and pushes
// the images named with a registry, so that every node of a swarm can pull
// them (deploy --build); an image it cannot push stays on this engine
// only, said as a warning naming the nodes that cannot get it (otherNodes:
// the swarm's nodes but this engine's).
func BuildForNodes(ctx context.Context, api dockerapi.ImageBuilder, p *types.Project, o ImageOptions, po PushOptions, otherNodes func(ctx context.Context) ([]string, error), out progress.Progress) error {
	DefaultImageNames(p)
	targets := BuildTargets(p, nil)
	if err := BuildServices(ctx, api, p, targets, o, out); err != nil {
		return err
	}
	var pushes []types.ServiceConfig
	var local []string
	for _, s := range targets {
		if CheckPushRef(s.Image) == nil {
			pushes = append(pushes, s)
		} else {
			local = append(local, s.Image)
		}
	}
	if len(local) > 0 {
		others, err := otherNodes(ctx)
		if err != nil {
			return err
		}
		if len(others) > 0 {
			progress.Warnf(out, "images %s are only on this engine (no registry in their name): nodes %s cannot get them",
				strings.Join(local, ", "), strings.Join(others, ", "))
		}
	}
	return Push(ctx, api, pushes, po, out)
}
