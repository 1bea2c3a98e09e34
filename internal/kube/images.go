package kube

import (
	"context"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/distribution/reference"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"

	"github.com/devstack/devstack/internal/kube/wire"
)

// ImageInspector is what BuiltImages asks the engine.
type ImageInspector interface {
	ImageInspect(ctx context.Context, image string, _ ...client.ImageInspectOption) (image.InspectResponse, error)
}

// BuiltImages is what the engine knows of the images of p's services that
// build, by service: each image's ID and, once pushed to the registry its
// name names, the digest the push recorded. An image the engine does not
// have (or cannot say) is left out; only a cancelled ctx is an error.
func BuiltImages(ctx context.Context, api ImageInspector, p *types.Project) (map[string]wire.Image, error) {
	out := map[string]wire.Image{}
	for _, name := range p.ServiceNames() {
		s := p.Services[name]
		if s.Build == nil {
			continue
		}
		ref := s.Image
		if ref == "" {
			ref = p.Name + "-" + name
		}
		ins, err := api.ImageInspect(ctx, ref)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil || ins.ID == "" {
			continue
		}
		out[name] = wire.Image{ID: ins.ID, Digest: pushedDigest(ref, ins.RepoDigests)}
	}
	return out, nil
}

// pushedDigest is the digest among repoDigests (NAME@DIGEST, as the engine
// records a push or pull) of ref's own repository; "" when none is.
func pushedDigest(ref string, repoDigests []string) string {
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return ""
	}
	for _, rd := range repoDigests {
		c, err := reference.ParseNormalizedNamed(rd)
		if err != nil {
			continue
		}
		if d, ok := c.(reference.Canonical); ok && c.Name() == named.Name() {
			return d.Digest().String()
		}
	}
	return ""
}
