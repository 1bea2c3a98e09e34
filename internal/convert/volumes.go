package convert

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/devstack/devstack/internal/version"
	"github.com/docker/docker/api/types/volume"
)

// VolumeName is the engine's name of the project's volume key: its name:
// (compose-go fills it in as <project>_<key>), else that default.
func VolumeName(p *types.Project, key string) string {
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
		Name:       VolumeName(p, key),
		Driver:     v.Driver,
		DriverOpts: v.DriverOpts,
		Labels: merge(v.Labels, map[string]string{
			LabelProject: p.Name, LabelVolume: key, LabelVersion: version.Version, LabelConfigHash: VolumeHash(v),
		}),
	}
}
