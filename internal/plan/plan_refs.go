package plan

import (
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/devstack/devstack/internal/convert"
)

// ByService groups containers by their service.
func ByService(cs []Container) map[string][]Container {
	out := map[string][]Container{}
	for _, c := range cs {
		out[c.Service] = append(out[c.Service], c)
	}
	return out
}

// recreateReferrers recreates the containers of a service that names, by
// ID, the container of a service the plan creates or recreates: its
// network namespace or volumes would otherwise be the old container's.
// Unless --no-recreate. Pure.
func recreateReferrers(p *types.Project, actions []Action, opts PlanOptions) {
	if opts.NoRecreate {
		return
	}
	replaced := map[string]bool{}
	for _, a := range actions {
		if a.Op == CreateContainer || a.Op == RecreateContainer {
			replaced[a.Service] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for i, a := range actions {
			if a.Current == nil || (a.Op != KeepContainer && a.Op != StartContainer) {
				continue
			}
			for _, ref := range idRefs(p.Services[a.Service]) {
				if replaced[ref] {
					actions[i].Op, actions[i].Reason = RecreateContainer, "service "+ref+" replaced"
					replaced[a.Service], changed = true, true
					break
				}
			}
		}
	}
}

// idRefs are the services s names by container ID (not links, which
// name containers by their stable names).
func idRefs(s types.ServiceConfig) []string {
	s.Links = nil
	return convert.ServiceRefs(s)
}
