package containers

import (
	"context"

	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/progress"
)

// RmOptions mirror `devstack rm` flags.
type RmOptions struct {
	Services []string // none: all
	Stop     bool     // -s: stop running containers first
	Volumes  bool     // -v: also remove their anonymous volumes (never named ones)
}

// Rm removes the project's stopped containers of the named services
// (running ones too with Stop, which stops them first). Named volumes are
// kept; -v removes only the containers' anonymous volumes.
func Rm(ctx context.Context, api dockerapi.API, project string, o RmOptions, out progress.Progress) error {
	cs, err := Select(ctx, api, project, o.Services)
	if err != nil {
		return err
	}
	if o.Stop {
		err = plan.InOrder(ctx, project, cs, true, func(ctx context.Context, c plan.Container) error {
			if !c.Running() && c.State != "paused" {
				return nil
			}
			if err := api.ContainerStop(ctx, c.ID, container.StopOptions{Timeout: dockerapi.StopTimeout(ctx, api, c.ID, nil)}); err != nil {
				return NamedError(c.Name, err)
			}
			progress.Status(out, progress.KindContainer, c.Name, "Stopped")
			return nil
		})
		if err != nil {
			return err
		}
	}
	removed := 0
	for _, c := range cs {
		if (c.Running() || c.State == "paused") && !o.Stop {
			continue
		}
		if err := RemoveOne(ctx, api, c, o.Volumes, out); err != nil {
			return err
		}
		removed++
	}
	if removed == 0 {
		progress.Warnf(out, "no stopped containers to remove (rm -s stops running ones first)")
	}
	return nil
}
