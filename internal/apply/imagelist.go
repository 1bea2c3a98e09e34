package apply

import (
	"context"
	"strings"

	"github.com/containerd/errdefs"
	"github.com/distribution/reference"

	"github.com/devstack/devstack/internal/containers"
	"github.com/devstack/devstack/internal/dockerapi"
)

// ImageRow is the image one container runs, as `images` shows it.
type ImageRow struct {
	ContainerName string `json:"ContainerName"`
	Repository    string `json:"Repository"`
	Tag           string `json:"Tag"`
	ID            string `json:"ID"`
	Size          int64  `json:"Size"`
}

// SplitRef splits an image reference into repository and tag
// ("127.0.0.1:5000/app:1" -> "127.0.0.1:5000/app", "1"); no tag gives
// "latest", a digest "<none>". Pure.
func SplitRef(ref string) (repo, tag string) {
	if i := strings.Index(ref, "@"); i >= 0 {
		return ref[:i], "<none>"
	}
	slash := strings.LastIndex(ref, "/")
	if i := strings.LastIndex(ref, ":"); i > slash {
		return ref[:i], ref[i+1:]
	}
	return ref, "latest"
}

// familiarRef is ref as Docker shows it: Podman lists a container's image
// fully qualified ("docker.io/library/redis:7"), Docker as it was asked for
// ("redis:7"). What is not a reference (an image ID) stays. Pure.
func familiarRef(ref string) string {
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return ref
	}
	return reference.FamiliarString(named)
}

// Images lists the images the project's containers of the named services
// (all when none named) use, one row per container.
func Images(ctx context.Context, api dockerapi.API, project string, services []string) ([]ImageRow, error) {
	cs, err := containers.Select(ctx, api, project, services)
	if err != nil {
		return nil, err
	}
	rows := make([]ImageRow, 0, len(cs))
	for _, c := range cs {
		row := ImageRow{ContainerName: c.Name, ID: strings.TrimPrefix(c.ImageID, "sha256:")}
		if len(row.ID) > 12 {
			row.ID = row.ID[:12]
		}
		row.Repository, row.Tag = SplitRef(familiarRef(c.Summary.Image))
		inspect, err := api.ImageInspect(ctx, c.ImageID)
		switch {
		case err == nil:
			row.Size = inspect.Size
		case !errdefs.IsNotFound(err):
			return nil, err
		}
		rows = append(rows, row)
	}
	return rows, nil
}
