package plan

import (
	"fmt"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/devstack/devstack/internal/convert"
)

// networkActions plans the networks the selected services use: create
// the missing ones, and recreate the project's own whose config hash
// label differs from the compose file's, as compose does (unless
// --no-recreate, which only warns). External ones must exist.
func networkActions(p *types.Project, o *Observed, noRecreate bool, plan *Plan) ([]Action, error) {
	used := map[string]bool{}
	for _, s := range p.Services {
		if s.NetworkMode == "" {
			for n := range s.Networks {
				used[n] = true
			}
		}
	}
	var out []Action
	for _, key := range sortedKeys(used) {
		n, name := p.Networks[key], convert.NetworkName(p, key)
		if _, ok := o.Networks[name]; !ok {
			if n.External {
				return nil, fmt.Errorf("%w: network %q is declared external but does not exist (create it with `docker network create %s`)", ErrExternalMissing, name, name)
			}
			out = append(out, Action{Op: CreateNetwork, Name: name, Reason: key})
			continue
		}
		if n.External {
			continue
		}
		labels := o.NetworkLabels[name]
		if w := notOurs("network", name, key, p.Name, labels, convert.LabelNetwork); w != "" {
			plan.Warnings = append(plan.Warnings, w)
			continue
		}
		if h := labels[convert.LabelConfigHash]; h == "" || h == convert.NetworkHash(n) {
			continue
		}
		if noRecreate {
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("network %s differs from the compose file; kept as it is (--no-recreate)", name))
			continue
		}
		out = append(out, Action{Op: RecreateNetwork, Name: name, Reason: key})
	}
	return out, nil
}

// recreateOnNetworks recreates the containers on a network the plan
// recreates: they must join the new one.
func recreateOnNetworks(p *types.Project, nets, actions []Action) {
	for _, n := range nets {
		if n.Op != RecreateNetwork {
			continue
		}
		for i, a := range actions {
			if a.Current == nil || (a.Op != KeepContainer && a.Op != StartContainer) {
				continue
			}
			if s := p.Services[a.Service]; s.NetworkMode == "" && s.Networks != nil {
				if _, on := s.Networks[n.Reason]; on {
					actions[i].Op, actions[i].Reason = RecreateContainer, "network "+n.Reason+" changed"
				}
			}
		}
	}
}

// volumeActions plans the named volumes the selected services mount:
// create the missing ones. A volume whose config changed is kept, with a
// warning: recreating it would lose its data (compose asks first).
func volumeActions(p *types.Project, o *Observed, plan *Plan) ([]Action, error) {
	used := map[string]bool{}
	for _, s := range p.Services {
		for _, v := range s.Volumes {
			if v.Type == types.VolumeTypeVolume && v.Source != "" {
				used[v.Source] = true
			}
		}
	}
	var out []Action
	for _, key := range sortedKeys(used) {
		v, name := p.Volumes[key], convert.VolumeName(p, key)
		if o.Volumes[name] {
			if v.External {
				continue
			}
			labels := o.VolumeLabels[name]
			if w := notOurs("volume", name, key, p.Name, labels, convert.LabelVolume); w != "" {
				plan.Warnings = append(plan.Warnings, w)
			} else if h := labels[convert.LabelConfigHash]; h != "" && h != convert.VolumeHash(v) {
				plan.Warnings = append(plan.Warnings, fmt.Sprintf("volume %s exists but does not match the compose file (driver, driver_opts or labels); kept with its data: `devstack down -v` removes it so that the next up creates it anew", name))
			}
			continue
		}
		if v.External {
			return nil, fmt.Errorf("%w: volume %q is declared external but does not exist (create it with `docker volume create %s`)", ErrExternalMissing, name, name)
		}
		out = append(out, Action{Op: CreateVolume, Name: name, Reason: key})
	}
	return out, nil
}

// notOurs warns, as compose does, of an existing network or volume the
// project uses by name although it did not create it: it is used as it
// is, and should be declared external.
func notOurs(kind, name, key, project string, labels map[string]string, keyLabel string) string {
	switch owner, ok := labels[convert.LabelProject]; {
	case !ok:
		return fmt.Sprintf("%s %s exists but was not created by devstack or docker compose; used as it is (declare it external: true)", kind, name)
	case owner != project || labels[keyLabel] != key:
		return fmt.Sprintf("%s %s exists but was created for project %q (%s %q); used as it is (declare it external: true)", kind, name, owner, kind, labels[keyLabel])
	}
	return ""
}
