package apply

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/devstack/devstack/internal/convert"
	"github.com/docker/docker/api/types/mount"
)

// CheckMountSources refuses, before anything is created, a bind whose host
// path is missing while it says create_host_path: false.
func CheckMountSources(p *types.Project) error {
	for _, name := range p.ServiceNames() {
		for _, v := range p.Services[name].Volumes {
			if v.Type != types.VolumeTypeBind || v.Bind == nil || bool(v.Bind.CreateHostPath) {
				continue
			}
			if _, err := os.Stat(convert.AbsSource(v.Source)); errors.Is(err, fs.ErrNotExist) {
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

// CheckVolumeSources refuses, before anything is created, a local bind
// volume (driver_opts o: bind, device: PATH) whose device the engine could
// not mount: a relative path (compose-go makes it absolute only when the
// volume says driver: local) or a missing one.
func CheckVolumeSources(p *types.Project) error {
	seen := map[string]bool{}
	for _, name := range p.ServiceNames() {
		for _, m := range p.Services[name].Volumes {
			v, ok := p.Volumes[m.Source]
			if m.Type != types.VolumeTypeVolume || !ok || seen[m.Source] || bool(v.External) {
				continue
			}
			seen[m.Source] = true
			dev, bind := v.DriverOpts["device"], slices.Contains(strings.Split(v.DriverOpts["o"], ","), "bind")
			if !bind || dev == "" || (v.Driver != "" && v.Driver != "local") {
				continue
			}
			if !filepath.IsAbs(dev) {
				return fmt.Errorf("%w: volume %s: driver_opts.device %q is relative (it is made absolute only with driver: local, as docker compose does)", ErrMountSource, m.Source, dev)
			}
			if _, err := os.Stat(dev); errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("%w: volume %s: driver_opts.device %s does not exist", ErrMountSource, m.Source, dev)
			}
		}
	}
	return nil
}
