package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/mount"
)

// CheckMountSources refuses, before anything is created, a bind whose host
// path is missing while it says create_host_path: false.
func CheckMountSources(p *types.Project) error {
	for _, name := range sortedServices(p) {
		for _, v := range p.Services[name].Volumes {
			if v.Type != types.VolumeTypeBind || v.Bind == nil || bool(v.Bind.CreateHostPath) {
				continue
			}
			if _, err := os.Stat(absSource(v.Source)); errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("%w: service %s: volumes[%s]: bind source %s does not exist (create_host_path: false)", ErrMountSource, name, v.Target, v.Source)
			}
		}
	}
	return nil
}

// createMountpoints makes the missing host paths of binds that go through
// the Mount API with create_host_path (engines before API 1.42 do not).
func createMountpoints(mounts []mount.Mount) error {
	for _, m := range mounts {
		if m.Type != mount.TypeBind || m.BindOptions == nil || !m.BindOptions.CreateMountpoint {
			continue
		}
		if _, err := os.Stat(m.Source); errors.Is(err, fs.ErrNotExist) {
			if err := os.MkdirAll(m.Source, 0o755); err != nil {
				return fmt.Errorf("bind source %s: %w", m.Source, err)
			}
		}
	}
	return nil
}
