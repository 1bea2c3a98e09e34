package containers

import (
	"slices"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"

	"github.com/devstack/devstack/internal/plan"
)

func TestInheritedVolumes(t *testing.T) {
	anon := strings.Repeat("ab", 32)
	c := plan.Container{Summary: container.Summary{Mounts: []container.MountPoint{
		{Type: mount.TypeVolume, Name: anon},                     // handed over by a recreate
		{Type: mount.TypeVolume, Name: "shop_data"},              // a named volume: kept without -v
		{Type: mount.TypeBind, Source: "/srv"},                   // a bind
		{Type: mount.TypeVolume, Name: strings.Repeat("AB", 32)}, // not a name the engine makes
		{Type: mount.TypeVolume, Name: anon[:63]},                // too short
	}}}
	if got := InheritedVolumes(c); !slices.Equal(got, []string{anon}) {
		t.Errorf("InheritedVolumes = %q, want only the 64-hex one", got)
	}
}
