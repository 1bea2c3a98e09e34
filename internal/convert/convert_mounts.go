package convert

import (
	"io/fs"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/mount"
)

// convertMounts turns the service's volumes, and its file-based secrets
// and configs, into what docker compose sends. A bind that needs none of
// the Mount API's options goes as a Binds entry "SRC:DST:rw[,z|Z]", for
// which the engine creates a missing host path (create_host_path); so does
// a named volume without nocopy, subpath or labels ("NAME:DST:rw"), which
// compose prefers for backward compatibility. A bind with propagation,
// recursive or create_host_path: false, and every other mount, goes as a
// Mount. File secrets and configs are read-only binds of the host file,
// so an edit on the host is seen inside; a target a volume already takes
// is left to the volume. What the API version cannot carry is left out.
// Pure.
func convertMounts(p *types.Project, s types.ServiceConfig, apiVersion string) (binds []string, mounts []mount.Mount) {
	taken := map[string]bool{}
	for _, v := range s.Volumes {
		taken[v.Target] = true
		if v.Type == types.VolumeTypeBind && !needsMountAPI(v.Bind) {
			v.Source = AbsSource(v.Source)
			binds = append(binds, v.String())
			continue
		}
		if _, declared := p.Volumes[v.Source]; v.Type == types.VolumeTypeVolume && v.Source != "" && declared && !volumeNeedsMountAPI(v.Volume) {
			v.Source = VolumeName(p, v.Source)
			binds = append(binds, v.String())
			continue
		}
		m := convertMount(p, v)
		fitMount(&m, apiVersion)
		mounts = append(mounts, m)
	}
	for _, f := range fileMounts(p, s) {
		if taken[f.Target] {
			continue
		}
		taken[f.Target] = true
		mounts = append(mounts, f)
	}
	return binds, mounts
}

// needsMountAPI says whether a bind uses an option the Binds syntax cannot
// carry, as compose decides it.
func needsMountAPI(b *types.ServiceVolumeBind) bool {
	return b != nil && (!bool(b.CreateHostPath) || b.Propagation != "" || b.Recursive != "")
}

// volumeNeedsMountAPI says the same of a named volume's options.
func volumeNeedsMountAPI(o *types.ServiceVolumeVolume) bool {
	return o != nil && (o.NoCopy || o.Subpath != "" || len(o.Labels) > 0)
}

// AbsSource is a bind source made absolute (against the working
// directory), as the engine needs it; "" stays "".
func AbsSource(src string) string {
	if src == "" || filepath.IsAbs(src) {
		return src
	}
	if abs, err := filepath.Abs(src); err == nil {
		return abs
	}
	return src
}

func convertMount(p *types.Project, v types.ServiceVolumeConfig) mount.Mount {
	m := mount.Mount{
		Type: mount.Type(v.Type), Source: v.Source, Target: v.Target,
		ReadOnly: v.ReadOnly, Consistency: mount.Consistency(v.Consistency),
	}
	switch v.Type {
	case types.VolumeTypeBind:
		m.Source = AbsSource(v.Source)
		if m.BindOptions = BindOptions(v.Bind); m.BindOptions != nil {
			m.BindOptions.CreateMountpoint = bool(v.Bind.CreateHostPath)
		}
	case types.VolumeTypeVolume:
		if v.Source != "" {
			m.Source = VolumeName(p, v.Source)
		}
		if v.Volume != nil {
			m.VolumeOptions = &mount.VolumeOptions{NoCopy: v.Volume.NoCopy, Subpath: v.Volume.Subpath, Labels: v.Volume.Labels}
		}
	case types.VolumeTypeTmpfs:
		if v.Tmpfs != nil {
			m.TmpfsOptions = &mount.TmpfsOptions{SizeBytes: int64(v.Tmpfs.Size), Mode: fs.FileMode(v.Tmpfs.Mode)}
		}
	}
	return m
}

// fileMounts are the read-only binds of the service's file-based secrets
// (create_host_path false: the file must exist) and configs.
func fileMounts(p *types.Project, s types.ServiceConfig) []mount.Mount {
	var out []mount.Mount
	for _, ref := range s.Secrets {
		if obj := p.Secrets[ref.Source]; isFileObject(types.FileObjectConfig(obj)) {
			out = append(out, mount.Mount{
				Type: mount.TypeBind, Source: AbsSource(obj.File), ReadOnly: true,
				Target:      FileTarget(types.FileReferenceConfig(ref), "/run/secrets/"),
				BindOptions: &mount.BindOptions{},
			})
		}
	}
	for _, ref := range s.Configs {
		if obj := p.Configs[ref.Source]; isFileObject(types.FileObjectConfig(obj)) {
			out = append(out, mount.Mount{
				Type: mount.TypeBind, Source: AbsSource(obj.File), ReadOnly: true,
				Target: FileTarget(types.FileReferenceConfig(ref), "/"),
			})
		}
	}
	return out
}

// isFileObject says the secret or config is bind-mounted from its file
// rather than copied in (content:, environment:).
func isFileObject(o types.FileObjectConfig) bool {
	return o.File != "" && o.Content == "" && o.Environment == "" && !bool(o.External)
}

// FileTarget is where a secret or config lands: target, relative to dir
// when not absolute, or dir/source.
func FileTarget(ref types.FileReferenceConfig, dir string) string {
	switch {
	case ref.Target == "":
		return dir + ref.Source
	case ref.Target[0] != '/':
		return dir + ref.Target
	}
	return ref.Target
}

func sortedNetworkKeys(p *types.Project) []string {
	keys := map[string]bool{}
	for k := range p.Networks {
		keys[k] = true
	}
	return sortedNames(keys)
}
