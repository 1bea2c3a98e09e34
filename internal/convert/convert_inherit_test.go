package convert

import (
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
)

func TestInheritVolumes(t *testing.T) {
	s := svc("db", func(s *types.ServiceConfig) {
		s.Volumes = []types.ServiceVolumeConfig{
			{Type: "volume", Target: "/anon"},
			{Type: "volume", Source: "data", Target: "/named"},
			{Type: "bind", Source: "/host", Target: "/bound", Bind: &types.ServiceVolumeBind{CreateHostPath: true}},
		}
	})
	p := project(s)
	spec, err := ContainerSpec(p, s, 1, "", "h", Target{})
	if err != nil {
		t.Fatal(err)
	}
	old := []container.MountPoint{
		{Type: "volume", Name: "anon1", Destination: "/anon", RW: true},
		{Type: "volume", Name: "imgvol", Destination: "/var/lib/db", RW: true},
		{Type: "volume", Name: "gone", Destination: "/no-longer-declared", RW: true},
		{Type: "volume", Name: "oldnamed", Destination: "/named", RW: true},
		{Type: "volume", Name: "x", Destination: "/bound", RW: true},
		{Type: "tmpfs", Destination: "/run"},
	}
	image := map[string]struct{}{"/var/lib/db": {}, "/named": {}, "/bound": {}, "/run": {}}
	InheritVolumes(&spec, s, old, image)
	eq(t, spec.Host.Mounts, []mount.Mount{
		{Type: "volume", Source: "anon1", Target: "/anon"},
		{Type: "volume", Source: "imgvol", Target: "/var/lib/db"},
	})
	eq(t, spec.Host.Binds, []string{"demo_data:/named:rw", "/host:/bound:rw"})
}
