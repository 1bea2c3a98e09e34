package doctor

import (
	"context"
	"fmt"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/registry"
	"github.com/docker/docker/client"

	"github.com/devstack/devstack/internal/registryauth"
)

// ImageSource is what the image check asks of the engine: the image
// here, or what its registry has under the reference.
type ImageSource interface {
	ImageInspect(ctx context.Context, ref string, _ ...client.ImageInspectOption) (image.InspectResponse, error)
	DistributionInspect(ctx context.Context, image, encodedRegistryAuth string) (registry.DistributionInspect, error)
}

// Credentials finds docker's credentials for an image's registry
// (registryauth.Store); they go to the engine, never to the output.
type Credentials interface {
	ForImage(ref string) (registry.AuthConfig, error)
	Encoded(ref string) (string, error)
}

// registryTimeout bounds the question to one registry.
const registryTimeout = 15 * time.Second

// Images checks each service's image: present, built by up, or one its
// registry gives (asked through the engine, with docker's credentials).
func Images(ctx context.Context, api ImageSource, p *types.Project, creds Credentials) []Result {
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
			out = append(out, pullable(ctx, api, name, ref, creds))
		}
	}
	return out
}

// pullable asks the image's registry whether it has the image.
func pullable(ctx context.Context, api ImageSource, service, ref string, creds Credentials) Result {
	key, err := registryauth.Key(ref)
	if err != nil {
		return Result{Check: "image", Status: Fail, Detail: fmt.Sprintf("%s (%s) is not a valid image reference: %v", ref, service, err), Remedy: "fix image: in the compose file"}
	}
	where, login := key, "docker login "+key
	if key == registryauth.IndexServer {
		where, login = "Docker Hub", "docker login"
	}
	auth, found := "", "no credentials for it"
	if creds != nil {
		if a, err := creds.Encoded(ref); err == nil && a != "" {
			auth, found = a, "credentials found"
		}
	}
	ctx, cancel := context.WithTimeout(ctx, registryTimeout)
	defer cancel()
	if _, err := api.DistributionInspect(ctx, ref, auth); err != nil {
		remedy := "check the image's name and tag, and that " + where + " can be reached"
		if auth == "" {
			remedy = login + " if it is private; else " + remedy
		}
		return Result{Check: "image", Status: Fail,
			Detail: fmt.Sprintf("%s (%s) is not present and %s does not give it (%s): %v", ref, service, where, found, err), Remedy: remedy}
	}
	return ok("image", "%s (%s) is not present: up pulls it from %s (%s)", ref, service, where, found)
}

var _ Credentials = (*registryauth.Store)(nil)
