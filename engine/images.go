package engine

import (
	"context"
	"fmt"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/pkg/jsonmessage"
)

// ImageOptions mirror `up --build` and `--pull`.
type ImageOptions struct {
	Build bool   // build every service that has a build section
	Pull  string // override pull_policy: always, missing, never ("" keeps each service's)
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
// pull_policy, and returns each service's image ID.
func EnsureImages(ctx context.Context, api API, p *types.Project, o ImageOptions, out *Printer) (map[string]string, error) {
	ids := map[string]string{}
	byRef := map[string]string{}
	for _, name := range sortedServices(p) {
		s := p.Services[name]
		if s.Image == "" {
			return nil, fmt.Errorf("service %s: neither image nor build is set", name)
		}
		if id, ok := byRef[s.Image]; ok && !needsBuild(s, o, true) {
			ids[name] = id
			continue
		}
		id, err := ensureImage(ctx, api, p, s, o, out)
		if err != nil {
			return nil, err
		}
		ids[name], byRef[s.Image] = id, id
	}
	return ids, nil
}

func ensureImage(ctx context.Context, api API, p *types.Project, s types.ServiceConfig, o ImageOptions, out *Printer) (string, error) {
	policy := s.PullPolicy
	if o.Pull != "" {
		policy = o.Pull
	}
	inspect, err := api.ImageInspect(ctx, s.Image)
	present := err == nil
	if err != nil && !errdefs.IsNotFound(err) {
		return "", fmt.Errorf("service %s: inspect image %s: %w", s.Name, s.Image, err)
	}
	switch {
	case needsBuild(s, o, present):
		if s.Build == nil {
			return "", fmt.Errorf("service %s: pull_policy build but no build section", s.Name)
		}
		if err := Build(ctx, api, p, s, out); err != nil {
			return "", err
		}
	case policy == types.PullPolicyAlways || (!present && policy != types.PullPolicyNever):
		if err := Pull(ctx, api, s, out); err != nil {
			if present {
				out.Printf("warning: service %s: pull failed, using the local image: %v\n", s.Name, err)
				return inspect.ID, nil
			}
			return "", err
		}
	case !present:
		return "", fmt.Errorf("%w: service %s: image %s is not present locally and pull_policy is never", ErrImageUnavailable, s.Name, s.Image)
	default:
		return inspect.ID, nil
	}
	inspect, err = api.ImageInspect(ctx, s.Image)
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

// Pull pulls the service's image, showing progress bars on a terminal and
// plain lines otherwise.
func Pull(ctx context.Context, api API, s types.ServiceConfig, out *Printer) error {
	out.Status("Image", s.Image, "Pulling")
	rc, err := api.ImagePull(ctx, s.Image, image.PullOptions{Platform: s.Platform})
	if err != nil {
		return fmt.Errorf("%w: service %s: pull %s: %v", ErrImageUnavailable, s.Name, s.Image, err)
	}
	defer rc.Close()
	fd, isTerm := out.terminal()
	if err := jsonmessage.DisplayJSONMessagesStream(rc, out, fd, isTerm, nil); err != nil {
		return fmt.Errorf("%w: service %s: pull %s: %v", ErrImageUnavailable, s.Name, s.Image, err)
	}
	out.Status("Image", s.Image, "Pulled")
	return nil
}
