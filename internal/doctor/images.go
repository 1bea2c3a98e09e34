package doctor

import (
	"context"
	"fmt"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/registry"
	"github.com/docker/docker/client"

	"github.com/devstack/devstack/internal/registryauth"
)

// ImageInspector is what the image check asks of the engine.
type ImageInspector interface {
	ImageInspect(ctx context.Context, ref string, _ ...client.ImageInspectOption) (image.InspectResponse, error)
}

// Credentials finds docker's credentials for an image's registry
// (registryauth.Store); they are never printed.
type Credentials interface {
	ForImage(ref string) (registry.AuthConfig, error)
}

// Images checks each service's image: present, built by up, or to be
// pulled, with or without credentials for its registry.
func Images(ctx context.Context, api ImageInspector, p *types.Project, creds Credentials) []Result {
	var out []Result
	for _, name := range p.ServiceNames() {
		s := p.Services[name]
		ref := s.Image
		if ref == "" {
			continue
		}
		_, err := api.ImageInspect(ctx, ref)
		switch {
		case err == nil:
			out = append(out, ok("image", "%s (%s) is present", ref, name))
		case s.Build != nil:
			out = append(out, ok("image", "%s (%s) is built by up", ref, name))
		default:
			out = append(out, pullResult(name, ref, creds))
		}
	}
	return out
}

// pullResult says where up pulls an absent image from, and whether
// docker has credentials for that registry.
func pullResult(service, ref string, creds Credentials) Result {
	key, err := registryauth.Key(ref)
	if err != nil {
		return Result{Check: "image", Status: Fail, Detail: fmt.Sprintf("%s (%s) is not a valid image reference: %v", ref, service, err), Remedy: "fix image: in the compose file"}
	}
	if key == registryauth.IndexServer {
		key = "Docker Hub"
	}
	found := "no credentials for it (public images only)"
	if creds != nil {
		if ac, err := creds.ForImage(ref); err == nil && (ac.Username != "" || ac.IdentityToken != "" || ac.RegistryToken != "") {
			found = "credentials found"
		}
	}
	return ok("image", "%s (%s) is not present: up pulls it from %s, %s", ref, service, key, found)
}

var _ Credentials = (*registryauth.Store)(nil)
