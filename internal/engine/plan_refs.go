package engine

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
)

// resolvedService is s with its references to other services' containers
// by ID (network_mode, ipc and pid service:NAME, volumes_from) written as
// the engine gets them, so that its config hash changes when such a
// container is replaced, as docker compose's does. A reference with no
// container yet stays as written. Pure.
func resolvedService(s types.ServiceConfig, refs map[string][]Container) types.ServiceConfig {
	id := func(name string) (string, bool) {
		c, err := firstContainer(s, "", name, refs)
		return c.ID, err == nil
	}
	for _, mode := range []*string{&s.NetworkMode, &s.Ipc, &s.Pid} {
		if name, ok := strings.CutPrefix(*mode, types.ServicePrefix); ok {
			if v, ok := id(name); ok {
				*mode = types.ContainerPrefix + v
			}
		}
	}
	if len(s.VolumesFrom) > 0 {
		vf := make([]string, len(s.VolumesFrom))
		for i, v := range s.VolumesFrom {
			vf[i] = v
			if strings.HasPrefix(v, types.ContainerPrefix) {
				continue
			}
			name, access, _ := strings.Cut(v, ":")
			if cid, ok := id(name); ok {
				vf[i] = types.ContainerPrefix + cid
				if access != "" {
					vf[i] += ":" + access
				}
			}
		}
		s.VolumesFrom = vf
	}
	return s
}

// byService groups containers by their service.
func byService(cs []Container) map[string][]Container {
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
	return ServiceRefs(s)
}
