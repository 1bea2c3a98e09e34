package apply

import (
	"context"
	"fmt"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/distribution/reference"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/pkg/jsonmessage"
	"golang.org/x/sync/errgroup"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
)

// PushOptions mirror `devstack push` flags.
type PushOptions struct {
	IgnoreFailures bool // --ignore-push-failures: report failed pushes, succeed anyway
	Auth           Registry
}

// PushTargets picks the images `push` pushes: those of services that
// build and name their image (compose skips the others), one per image.
// An image whose name has no registry host would go to Docker Hub's
// official namespace: refused, naming the service. Pure.
func PushTargets(p *types.Project, services []string) ([]types.ServiceConfig, error) {
	var out []types.ServiceConfig
	for _, s := range BuildTargets(p, services) {
		if s.Image == "" {
			continue
		}
		if err := CheckPushRef(s.Image); err != nil {
			return nil, fmt.Errorf("service %s: %w", s.Name, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// CheckPushRef refuses an image name without a registry host and
// namespace (app:1 would be docker.io/library/app). Pure.
func CheckPushRef(ref string) error {
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return fmt.Errorf("image %s: %w", ref, err)
	}
	if reference.Domain(named) == "docker.io" && strings.HasPrefix(reference.Path(named), "library/") && !strings.Contains(ref, "/") {
		return fmt.Errorf("%w: %s; name the image REGISTRY/NAME (e.g. 127.0.0.1:5000/%s) in image: to push it", ErrNoRegistry, ref, ref)
	}
	return nil
}

// Push pushes the images concurrently with the registry credentials.
func Push(ctx context.Context, api dockerapi.ImageAPI, targets []types.ServiceConfig, o PushOptions, out progress.Progress) error {
	errs := make([]error, len(targets))
	var eg errgroup.Group
	eg.SetLimit(dockerapi.Parallelism)
	for i, s := range targets {
		eg.Go(func() error {
			progress.Status(out, progress.KindImage, s.Image, "Pushing")
			if errs[i] = pushOne(ctx, api, o.Auth, s.Image); errs[i] != nil {
				errs[i] = fmt.Errorf("service %s: push %s: %w", s.Name, s.Image, errs[i])
				out.Event(progress.Event{Kind: progress.KindImage, Name: s.Image, Status: "Error", Detail: errs[i].Error()})
				return nil
			}
			progress.Status(out, progress.KindImage, s.Image, "Pushed")
			return nil
		})
	}
	_ = eg.Wait()
	for _, err := range errs {
		if err != nil && !o.IgnoreFailures {
			return err
		}
	}
	return nil
}

func pushOne(ctx context.Context, api dockerapi.ImageAPI, auth Registry, ref string) error {
	enc, err := encodedAuth(auth, ref)
	if err != nil {
		return err
	}
	if enc == "" {
		enc = "e30=" // "{}": the engine wants the header even without credentials
	}
	rc, err := api.ImagePush(ctx, ref, image.PushOptions{RegistryAuth: enc})
	if err != nil {
		return registryError(ref, err)
	}
	defer rc.Close()
	return readRegistryStream(rc, ref, func(jsonmessage.JSONMessage) {})
}
