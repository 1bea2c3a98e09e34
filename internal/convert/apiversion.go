package convert

import (
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/mount"
)

// Engine API versions that first carry a mount or network key.
const (
	apiBindRecursive = "1.44" // bind.recursive writable/readonly
	apiVolumeSubpath = "1.45" // volume.subpath
	apiEnableIPv4    = "1.47" // networks.*.enable_ipv4
)

// mountKeysNeedingAPI lists the volume keys of s the API version cannot
// carry (keysNeedingAPI). Pure.
func mountKeysNeedingAPI(s types.ServiceConfig, apiVersion string) []apiKey {
	var out []apiKey
	for _, v := range s.Volumes {
		if v.Volume != nil && v.Volume.Subpath != "" && !apiAtLeast(apiVersion, apiVolumeSubpath) {
			out = append(out, apiKey{"volumes[" + v.Target + "].volume.subpath", apiVolumeSubpath})
		}
		if v.Bind != nil && (v.Bind.Recursive == "writable" || v.Bind.Recursive == "readonly") && !apiAtLeast(apiVersion, apiBindRecursive) {
			out = append(out, apiKey{"volumes[" + v.Target + "].bind.recursive: " + v.Bind.Recursive, apiBindRecursive})
		}
	}
	return out
}

// networkKeysNeedingAPI lists, per network key, the keys the API version
// cannot carry. Pure.
func networkKeysNeedingAPI(p *types.Project, apiVersion string) map[string][]apiKey {
	out := map[string][]apiKey{}
	for key, n := range p.Networks {
		if n.EnableIPv4 != nil && !bool(n.External) && !apiAtLeast(apiVersion, apiEnableIPv4) {
			out[key] = append(out[key], apiKey{"enable_ipv4", apiEnableIPv4})
		}
	}
	return out
}

// fitMount leaves out of a mount what the API version cannot carry
// (mountKeysNeedingAPI has warned of it). Pure.
func fitMount(m *mount.Mount, apiVersion string) {
	if m.VolumeOptions != nil && !apiAtLeast(apiVersion, apiVolumeSubpath) {
		m.VolumeOptions.Subpath = ""
	}
	if m.BindOptions != nil && !apiAtLeast(apiVersion, apiBindRecursive) {
		m.BindOptions.ReadOnlyNonRecursive, m.BindOptions.ReadOnlyForceRecursive = false, false
	}
}
