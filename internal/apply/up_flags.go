package apply

import (
	"fmt"
	"slices"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/plan"
)

// ApplyScaleFlags sets the replicas of services from up's --scale
// SERVICE=N, with scale's parsing and checks (ParseScale, ApplyScale). Pure.
func ApplyScaleFlags(p *types.Project, scales []string) error {
	if len(scales) == 0 {
		return nil
	}
	n, err := plan.ParseScale(scales, p.ServiceNames())
	if err != nil {
		return fmt.Errorf("--scale: %w", err)
	}
	return plan.ApplyScale(p, n)
}

// SelectAttached are the services whose logs attached up shows: those
// of --attach (all that do not say attach: false when none), less those
// of --no-attach. Unknown names are refused. Pure.
func SelectAttached(p *types.Project, attach, noAttach []string) ([]string, error) {
	for _, n := range append(append([]string{}, attach...), noAttach...) {
		if _, ok := p.Services[n]; !ok {
			return nil, fmt.Errorf("--attach/--no-attach: no such service: %s", n)
		}
	}
	out := convert.AttachedServices(p)
	if len(attach) > 0 {
		out = slices.Clone(attach)
		slices.Sort(out)
	}
	return slices.DeleteFunc(out, func(n string) bool { return slices.Contains(noAttach, n) }), nil
}
