package apply

import (
	"context"
	"fmt"
	"sort"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/image"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/progress"
)

// RmiImages names the images `down --rmi` removes: with "local" those of
// services that build and name no image (the <project>-<service> name
// devstack gives them), with "all" every service's image. Call it before
// DefaultImageNames. Pure.
func RmiImages(p *types.Project, mode string) ([]string, error) {
	if mode != "local" && mode != "all" {
		return nil, fmt.Errorf("invalid --rmi %q: local or all", mode)
	}
	seen := map[string]bool{}
	for name, s := range p.Services {
		ref := s.Image
		switch {
		case ref == "" && s.Build != nil:
			ref = p.Name + "-" + name
		case mode == "local" || ref == "":
			continue
		}
		seen[ref] = true
	}
	out := make([]string, 0, len(seen))
	for ref := range seen {
		out = append(out, ref)
	}
	sort.Strings(out)
	return out, nil
}

// removeImages removes the images (after the containers using them); one
// that is not there is skipped, one still used elsewhere is left with a warning.
func removeImages(ctx context.Context, api dockerapi.ImageAPI, refs []string, out progress.Progress) error {
	for _, ref := range refs {
		_, err := api.ImageRemove(ctx, ref, image.RemoveOptions{PruneChildren: true})
		switch {
		case err == nil:
			progress.Status(out, progress.KindImage, ref, "Removed")
		case errdefs.IsNotFound(err):
		case errdefs.IsConflict(err):
			progress.Warnf(out, "image %s is left in place: %v", ref, err)
		default:
			return fmt.Errorf("image %s: %w", ref, err)
		}
	}
	return nil
}
