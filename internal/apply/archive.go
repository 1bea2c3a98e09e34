package apply

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/distribution/reference"
	"github.com/docker/docker/client"
	"github.com/docker/docker/pkg/jsonmessage"

	"github.com/devstack/devstack/internal/dockerapi"
)

// ExportRef is one image to export and the services that run it.
type ExportRef struct {
	Ref      string
	Services []string
}

// ExportRefs lists the project's images once each, sorted, as refs to
// export. A name without a tag gets :latest, the tag the engine resolves
// it to: exporting a bare repository name would carry all its tags. An
// image pinned by digest is refused: an engine's load does not restore
// repository digests, so the loaded project could not find it. Pure.
func ExportRefs(p *types.Project) ([]ExportRef, error) {
	byRef := map[string]*ExportRef{}
	var order []string
	for _, name := range p.ServiceNames() {
		s := p.Services[name]
		ref := s.Image
		if !strings.HasPrefix(ref, "sha256:") {
			named, err := reference.ParseNormalizedNamed(ref)
			if err != nil {
				return nil, fmt.Errorf("service %s: image %q: %w", name, ref, err)
			}
			if _, pinned := named.(reference.Digested); pinned {
				return nil, fmt.Errorf("service %s: image %s is pinned by digest, which an image load does not restore: name it by tag to save it", name, ref)
			}
			if _, tagged := named.(reference.Tagged); !tagged {
				ref = reference.FamiliarString(reference.TagNameOnly(named))
			}
		}
		if byRef[ref] == nil {
			byRef[ref] = &ExportRef{Ref: ref}
			order = append(order, ref)
		}
		byRef[ref].Services = append(byRef[ref].Services, name)
	}
	slices.Sort(order)
	out := make([]ExportRef, 0, len(order))
	for _, ref := range order {
		out = append(out, *byRef[ref])
	}
	return out, nil
}

// ImageInfo is what an archive's manifest records of an image.
type ImageInfo struct {
	ID       string
	Tags     []string
	Platform string
}

// InspectImage returns an image's ID, tags and platform.
func InspectImage(ctx context.Context, api dockerapi.ImageAPI, ref string) (ImageInfo, error) {
	in, err := api.ImageInspect(ctx, ref)
	if err != nil {
		return ImageInfo{}, fmt.Errorf("%w: %s: %v", ErrImageUnavailable, ref, err)
	}
	platform := in.Os + "/" + in.Architecture
	if in.Variant != "" {
		platform += "/" + in.Variant
	}
	return ImageInfo{ID: in.ID, Tags: in.RepoTags, Platform: platform}, nil
}

// SaveImages starts the engine's export of refs as one tar stream (layers
// shared by several images are in it once). The caller closes it.
func SaveImages(ctx context.Context, api dockerapi.ImageAPI, refs []string) (io.ReadCloser, error) {
	rc, err := api.ImageSave(ctx, refs)
	if err != nil {
		return nil, fmt.Errorf("exporting images %s: %w", strings.Join(refs, ", "), err)
	}
	return rc, nil
}

// LoadImages feeds an image export (the tar stream of SaveImages) to the
// engine and returns the error it reports, if any.
func LoadImages(ctx context.Context, api dockerapi.ImageAPI, export io.Reader) error {
	resp, err := api.ImageLoad(ctx, export, client.ImageLoadWithQuiet(true))
	if err != nil {
		return fmt.Errorf("loading images: %w", err)
	}
	defer resp.Body.Close()
	if err := jsonmessage.DisplayJSONMessagesStream(resp.Body, io.Discard, 0, false, nil); err != nil {
		return fmt.Errorf("loading images: %w", err)
	}
	return nil
}
