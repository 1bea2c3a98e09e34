package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/volume"
)

// volumeName is the engine's name of the project's volume key: its name:
// (compose-go fills it in as <project>_<key>), else that default.
func volumeName(p *types.Project, key string) string {
	if v, ok := p.Volumes[key]; ok && v.Name != "" {
		return v.Name
	}
	return p.Name + "_" + key
}

// VolumeHash digests a volume's compose definition as docker compose does
// (the model's JSON, with the driver defaulted to local).
func VolumeHash(v types.VolumeConfig) string {
	if v.Driver == "" {
		v.Driver = "local"
	}
	b, err := json.Marshal(v)
	if err != nil { // plain data; cannot happen
		panic(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// VolumeCreate converts the project's volume key into the options docker
// compose sends to create it: name, driver, driver_opts (a local bind
// volume is driver_opts type: none, o: bind, device: PATH), labels plus
// compose's own. Pure.
func VolumeCreate(p *types.Project, key string) volume.CreateOptions {
	v := p.Volumes[key]
	return volume.CreateOptions{
		Name:       volumeName(p, key),
		Driver:     v.Driver,
		DriverOpts: v.DriverOpts,
		Labels: merge(v.Labels, map[string]string{
			LabelProject: p.Name, LabelVolume: key, LabelVersion: Version, LabelConfigHash: VolumeHash(v),
		}),
	}
}

// CheckVolumeSources refuses, before anything is created, a local bind
// volume (driver_opts o: bind, device: PATH) whose device the engine could
// not mount: a relative path (compose-go makes it absolute only when the
// volume says driver: local) or a missing one.
func CheckVolumeSources(p *types.Project) error {
	seen := map[string]bool{}
	for _, name := range sortedServices(p) {
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
