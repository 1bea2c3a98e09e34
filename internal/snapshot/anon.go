package snapshot

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/snapshot/manifest"
)

// AnonKey is the key of the anonymous volume the container service-number
// mounts at path: anon-SERVICE-N-PATH, made a valid name.
func AnonKey(service string, number int, path string) string {
	return "anon-" + cleanBranch(service) + "-" + strconv.Itoa(number) + "-" + cleanBranch(path)
}

// AnonymousVolumes are the anonymous volumes the containers cs mount:
// volumes that are none of the project's named ones (up -V and rm -v
// remove those).
func AnonymousVolumes(p *types.Project, cs []plan.Container) []Volume {
	named := map[string]bool{}
	for k := range p.Volumes {
		named[convert.VolumeName(p, k)] = true
	}
	var out []Volume
	for _, c := range cs {
		for _, m := range c.Summary.Mounts {
			if m.Type != mount.TypeVolume || m.Name == "" || named[m.Name] || slices.ContainsFunc(out, func(v Volume) bool { return v.Name == m.Name }) {
				continue
			}
			out = append(out, Volume{Key: AnonKey(c.Service, c.Number, m.Destination), Name: m.Name, Anonymous: true, Service: c.Service, Number: c.Number, Path: m.Destination})
		}
	}
	return out
}

// resolveAnonymous gives the anonymous volumes of a restore the engine's
// names they have now: those the containers Service-Number mount at Path
// (up -V and rm -v gave them new ones).
func resolveAnonymous(vols []Volume, cs []plan.Container) error {
	for i, v := range vols {
		if !v.Anonymous {
			continue
		}
		i0 := slices.IndexFunc(cs, func(c plan.Container) bool { return c.Service == v.Service && c.Number == v.Number })
		if i0 < 0 {
			return fmt.Errorf("volume %s is the anonymous volume of container %s-%d at %s: there is no such container now (devstack up creates it)", v.Key, v.Service, v.Number, v.Path)
		}
		j := slices.IndexFunc(cs[i0].Summary.Mounts, func(m container.MountPoint) bool { return m.Type == mount.TypeVolume && m.Destination == v.Path })
		if j < 0 {
			return fmt.Errorf("volume %s: container %s mounts no volume at %s now", v.Key, cs[i0].Name, v.Path)
		}
		vols[i].Name = cs[i0].Summary.Mounts[j].Name
	}
	return nil
}

// fromManifest is the manifest's record of a volume.
func fromManifest(v Volume) manifest.Volume {
	return manifest.Volume{Key: v.Key, Name: v.Name, External: v.External, Anonymous: v.Anonymous, Service: v.Service, Number: v.Number, Path: v.Path}
}
