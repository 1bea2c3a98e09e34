// Package snapshot saves a project's named volumes into snapshots on the
// engine and restores them: which volumes and which containers (select.go,
// names.go: pure), the helper container that copies (helper.go, running the
// embedded program cmd/devstack-snapshot from an image package selfimage
// makes), and the flows around it: pause or stop the containers that mount
// the volumes for the copy and always resume them (save.go), stop, restore
// and start them again health-waited (restore.go), list and remove (ls.go).
package snapshot

import (
	"fmt"
	"slices"
	"sort"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/plan"
)

// Volume is a named volume of the project a snapshot covers.
type Volume struct {
	Key      string // the compose file's key, under volumes:; an anonymous one's: AnonKey
	Name     string // the engine's name
	External bool
	// Anonymous: the volume the container Service-Number mounts at Path.
	Anonymous bool
	Service   string
	Number    int
	Path      string
}

// Volumes are the named volumes a save covers: those of keys when given
// (external ones too: they were named), else those the services mount,
// else all the project's; never an external volume that was not named.
func Volumes(p *types.Project, services, keys []string) ([]Volume, error) {
	if len(keys) > 0 {
		var out []Volume
		for _, k := range keys {
			v, ok := p.Volumes[k]
			if !ok {
				return nil, fmt.Errorf("%w: %s (volumes: %v)", ErrUnknownVolume, k, sortedKeys(p.Volumes))
			}
			out = append(out, Volume{Key: k, Name: convert.VolumeName(p, k), External: bool(v.External)})
		}
		return out, nil
	}
	want := map[string]bool{}
	if len(services) == 0 {
		for k := range p.Volumes {
			want[k] = true
		}
	}
	for _, name := range services {
		s, err := p.GetService(name)
		if err != nil {
			return nil, err
		}
		for _, m := range s.Volumes {
			if m.Type == types.VolumeTypeVolume && m.Source != "" {
				if _, ok := p.Volumes[m.Source]; ok {
					want[m.Source] = true
				}
			}
		}
	}
	var out []Volume
	for _, k := range sortedKeys(p.Volumes) {
		if v := p.Volumes[k]; want[k] && !bool(v.External) {
			out = append(out, Volume{Key: k, Name: convert.VolumeName(p, k)})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w to snapshot (external volumes only with --volume KEY)", ErrNoVolumes)
	}
	return out, nil
}

func sortedKeys(m types.Volumes) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Users are the containers among cs that mount any of the volumes (by the
// engine's names), running or not, in cs's order.
func Users(cs []plan.Container, vols []Volume) []plan.Container {
	var out []plan.Container
	for _, c := range cs {
		if slices.ContainsFunc(c.Summary.Mounts, func(m container.MountPoint) bool {
			return m.Type == mount.TypeVolume && slices.ContainsFunc(vols, func(v Volume) bool { return v.Name == m.Name })
		}) {
			out = append(out, c)
		}
	}
	return out
}

// Services names the services of cs, sorted, each once.
func Services(cs []plan.Container) []string {
	var out []string
	for _, c := range cs {
		if !slices.Contains(out, c.Service) {
			out = append(out, c.Service)
		}
	}
	sort.Strings(out)
	return out
}
