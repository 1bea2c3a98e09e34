package apply

import (
	"context"
	"fmt"
	"slices"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/plan"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
)

// inherit applies convert.InheritVolumes when old has volumes, with the VOLUME
// paths of the image the new container runs.
func (a *applier) inherit(ctx context.Context, spec *convert.Spec, s types.ServiceConfig, old *plan.Container) error {
	if old == nil || a.renewAnon || !slices.ContainsFunc(old.Summary.Mounts, func(m container.MountPoint) bool { return m.Type == mount.TypeVolume }) {
		return nil
	}
	img, err := a.api.ImageInspect(ctx, spec.Config.Image)
	if err != nil {
		return fmt.Errorf("service %s: image %s: %w", s.Name, spec.Config.Image, err)
	}
	var declared map[string]struct{}
	if img.Config != nil {
		declared = img.Config.Volumes
	}
	convert.InheritVolumes(spec, s, old.Summary.Mounts, declared)
	return nil
}
