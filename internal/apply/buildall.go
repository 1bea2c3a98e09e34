package apply

import (
	"context"
	"fmt"
	"slices"

	"github.com/compose-spec/compose-go/v2/types"
	"golang.org/x/sync/errgroup"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
)

// buildParallelism bounds concurrent builds: each sends a context and
// keeps the engine busy, and the machine has few cores.
const buildParallelism = 4

// BuildTargets picks the services `build` builds: the named ones (all when
// none named) that have a build section, one per image. Pure.
func BuildTargets(p *types.Project, services []string) []types.ServiceConfig {
	var out []types.ServiceConfig
	seen := map[string]bool{}
	for _, name := range p.ServiceNames() {
		s := p.Services[name]
		if s.Build == nil || (len(services) > 0 && !slices.Contains(services, name)) || seen[s.Image] {
			continue
		}
		seen[s.Image] = true
		out = append(out, s)
	}
	return out
}

// BuildServices builds the services' images with the same step `up` uses
// (Build), independent builds at the same time. Call DefaultImageNames first.
func BuildServices(ctx context.Context, api dockerapi.ImageBuilder, p *types.Project, targets []types.ServiceConfig, o ImageOptions, out progress.Progress) error {
	if len(targets) == 0 {
		progress.Warnf(out, "no service to build: none of them has a build section")
	}
	return buildAll(ctx, api, p, targets, o, out)
}

// buildAll runs the builds at the same time (up to buildParallelism);
// with more than one, each line of build output starts with its service.
func buildAll(ctx context.Context, api dockerapi.ImageBuilder, p *types.Project, targets []types.ServiceConfig, o ImageOptions, out progress.Progress) error {
	if len(targets) > 1 {
		pb := prefixBuilds{next: out, service: map[string]string{}}
		for _, t := range targets {
			pb.service[t.Image] = t.Name
		}
		out = pb
	}
	eg, ectx := errgroup.WithContext(ctx)
	eg.SetLimit(buildParallelism)
	for _, s := range targets {
		eg.Go(func() error { return Build(ectx, api, p, s, o, out) })
	}
	return eg.Wait()
}

// prefixBuilds names the service on each line of build output, for
// builds that run at the same time.
type prefixBuilds struct {
	next    progress.Progress
	service map[string]string // image -> service
}

func (p prefixBuilds) Event(e progress.Event) {
	if e.Kind == progress.KindBuild {
		e.Detail = p.service[e.Name] + " | " + e.Detail
	}
	p.next.Event(e)
}

// PullOptions mirror `devstack pull` flags.
type PullOptions struct {
	Policy         string // --policy: "missing" skips images present; "" or "always" pulls all
	IgnoreFailures bool   // --ignore-pull-failures: report failed pulls, succeed anyway
	Auth           Registry
}

// Pull pulls the services' images concurrently with up's pull step.
// Services that only build (no image: named) are skipped, as compose does.
func Pull(ctx context.Context, api dockerapi.ImageAPI, p *types.Project, o PullOptions, out progress.Progress) error {
	if o.Policy != "" && o.Policy != "always" && o.Policy != "missing" {
		return fmt.Errorf("invalid --policy %q: always or missing", o.Policy)
	}
	var reqs []pullReq
	seen := map[string]bool{}
	for _, name := range p.ServiceNames() {
		s := p.Services[name]
		if s.Image == "" || seen[s.Image] || s.PullPolicy == types.PullPolicyBuild {
			continue
		}
		seen[s.Image] = true
		if o.Policy == "missing" {
			if _, err := api.ImageInspect(ctx, s.Image); err == nil {
				continue
			}
		}
		reqs = append(reqs, pullReq{Service: name, Image: s.Image, Platform: s.Platform})
	}
	failed := pullAll(ctx, api, o.Auth, reqs, out)
	for _, r := range reqs {
		err := failed[r.Image]
		switch {
		case err == nil:
		case o.IgnoreFailures || (p.Services[r.Service].Build != nil):
			progress.Warnf(out, "%v", err)
		default:
			return err
		}
	}
	return nil
}
