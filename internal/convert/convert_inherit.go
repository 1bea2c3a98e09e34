package convert

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
)

// InheritVolumes gives a recreated container the anonymous volumes of the
// one it replaces, as docker compose does, so their data survives a
// recreate: the volume at a path the image declares a VOLUME for, or where
// the service mounts an anonymous volume. A named volume, bind or tmpfs the
// service now mounts at that path wins. Pure.
func InheritVolumes(spec *Spec, s types.ServiceConfig, old []container.MountPoint, imageVolumes map[string]struct{}) {
	anonymous := map[string]bool{}
	for _, v := range s.Volumes {
		if v.Type == types.VolumeTypeVolume && v.Source == "" {
			anonymous[v.Target] = true
		}
	}
	bound := map[string]bool{}
	for _, b := range spec.Host.Binds {
		if parts := strings.Split(b, ":"); len(parts) >= 2 {
			bound[parts[1]] = true
		}
	}
	for t := range spec.Host.Tmpfs {
		bound[t] = true
	}
	for _, m := range old {
		if m.Type == mount.TypeTmpfs || bound[m.Destination] {
			continue
		}
		if _, declared := imageVolumes[m.Destination]; !declared && !anonymous[m.Destination] {
			continue
		}
		src := m.Source
		if m.Type == mount.TypeVolume {
			src = m.Name
		}
		kept := mount.Mount{Type: m.Type, Source: src, Target: m.Destination, ReadOnly: !m.RW}
		i := mountAt(spec.Host.Mounts, m.Destination)
		switch {
		case i < 0:
			spec.Host.Mounts = append(spec.Host.Mounts, kept)
		case spec.Host.Mounts[i].Type == mount.TypeVolume && spec.Host.Mounts[i].Source == "":
			spec.Host.Mounts[i] = kept
		}
	}
}

func mountAt(mounts []mount.Mount, target string) int {
	for i, m := range mounts {
		if m.Target == target {
			return i
		}
	}
	return -1
}
