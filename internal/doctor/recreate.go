package doctor

import (
	"context"
	"fmt"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/version"
)

// Recreate lists the project's containers that up would recreate, and
// why (plan.MakePlan's reasons): made by another tool or an older
// devstack, or changed since. obs is the project's observed state.
func Recreate(ctx context.Context, api dockerapi.ImageAPI, p *types.Project, known []string, obs *plan.Observed) []Result {
	d := plan.Desired{Project: p, Known: known, Files: map[string][]convert.File{}, ImageIDs: map[string]string{}}
	for name, s := range p.Services {
		files, err := apply.ServiceFiles(p, s)
		if err != nil {
			return []Result{{Check: "recreate", Status: Skip, Detail: fmt.Sprintf("service %s: %v", name, err)}}
		}
		d.Files[name] = files
		if img, err := api.ImageInspect(ctx, s.Image); err == nil {
			d.ImageIDs[name] = img.ID
		}
	}
	pl, err := plan.MakePlan(d, obs, plan.PlanOptions{})
	if err != nil {
		return []Result{{Check: "recreate", Status: Skip, Detail: err.Error()}}
	}
	return recreateResults(pl)
}

// recreateResults reads the plan's recreations. Pure.
func recreateResults(pl plan.Plan) []Result {
	var out []Result
	for _, a := range pl.Actions {
		if a.Op != plan.RecreateContainer || a.Current == nil {
			continue
		}
		by := ""
		if v := a.Current.Labels[convert.LabelVersion]; v != version.Version {
			by = fmt.Sprintf(" (made by version %q of devstack or compose)", v)
		}
		out = append(out, Result{Check: "recreate", Status: Note,
			Detail: fmt.Sprintf("container %s%s: up would recreate it (%s)", a.Name, by, a.Reason)})
	}
	if len(out) == 0 {
		return []Result{ok("recreate", "up would recreate none of the project's containers")}
	}
	return out
}
