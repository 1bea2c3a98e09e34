package stack

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/go-units"

	"github.com/devstack/devstack/internal/convert"
)

// mounts converts volumes: and tmpfs: as docker stack does: a named volume
// is mounted by its namespaced name with its driver and options (swarm
// creates it on each node the task lands on), an anonymous one has no
// source, a bind's host path must exist on every node the task may run on.
func (c *converter) mounts(s types.ServiceConfig) ([]mount.Mount, error) {
	var out []mount.Mount
	for _, v := range s.Volumes {
		m, err := c.mount(s.Name, v)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	for _, t := range s.Tmpfs {
		m, err := c.tmpfs(s.Name, t)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

func (c *converter) mount(service string, v types.ServiceVolumeConfig) (mount.Mount, error) {
	m := mount.Mount{Type: mount.Type(v.Type), Source: v.Source, Target: v.Target, ReadOnly: v.ReadOnly}
	if v.Consistency != "" {
		c.warn(service, "volumes.consistency", ignored)
	}
	switch v.Type {
	case types.VolumeTypeVolume:
		return c.volumeMount(service, v, m)
	case types.VolumeTypeBind:
		if b := v.Bind; b != nil {
			if b.SELinux != "" {
				c.warn(service, "volumes.bind.selinux", ignored)
			}
			m.BindOptions = convert.BindOptions(b)
		}
	case types.VolumeTypeTmpfs:
		if v.Source != "" {
			return m, fmt.Errorf("%w: service %s: volumes: a tmpfs mount has no source (%s)", ErrInvalid, service, v.Source)
		}
		if t := v.Tmpfs; t != nil {
			m.TmpfsOptions = &mount.TmpfsOptions{SizeBytes: int64(t.Size), Mode: os.FileMode(t.Mode)}
		}
	case types.VolumeTypeNamedPipe:
	default:
		return m, fmt.Errorf("%w: service %s: volumes: type %s cannot be mounted in a swarm service (%s)", ErrInvalid, service, v.Type, v.Target)
	}
	return m, nil
}

// volumeMount names the volume and carries its driver; an external volume
// is mounted by its name only.
func (c *converter) volumeMount(service string, v types.ServiceVolumeConfig, m mount.Mount) (mount.Mount, error) {
	opts := &mount.VolumeOptions{}
	if v.Volume != nil {
		opts.NoCopy, opts.Subpath = v.Volume.NoCopy, v.Volume.Subpath
	}
	if v.Source != "" {
		cfg, ok := c.p.Volumes[v.Source]
		if !ok {
			return m, fmt.Errorf("%w: service %s: volume %s is not defined under volumes:", ErrInvalid, service, v.Source)
		}
		vol := c.useVolume(v.Source, cfg)
		m.Source = vol.Name
		if !vol.External {
			opts.Labels = c.stackLabels(cfg.Labels)
			if cfg.Driver != "" || len(cfg.DriverOpts) > 0 {
				opts.DriverConfig = &mount.Driver{Name: cfg.Driver, Options: cfg.DriverOpts}
			}
		}
	}
	if v.Volume != nil && len(v.Volume.Labels) > 0 {
		if opts.Labels == nil {
			opts.Labels = map[string]string{}
		}
		for k, val := range v.Volume.Labels {
			opts.Labels[k] = val
		}
	}
	if opts.NoCopy || opts.Subpath != "" || opts.Labels != nil || opts.DriverConfig != nil {
		m.VolumeOptions = opts
	}
	return m, nil
}

// useVolume records a named volume the stack uses.
func (c *converter) useVolume(key string, cfg types.VolumeConfig) Volume {
	if v, ok := c.volumes[key]; ok {
		return v
	}
	v := Volume{Key: key, External: bool(cfg.External), Name: c.objectName(key, cfg.Name, bool(cfg.External))}
	if !v.External {
		v.Driver, v.DriverOpts = cfg.Driver, cfg.DriverOpts
	}
	c.volumes[key] = v
	return v
}

// tmpfs converts one tmpfs: entry, "PATH" or "PATH:size=64m,mode=1777".
// Other options have no field in a swarm tmpfs mount on every engine.
func (c *converter) tmpfs(service, entry string) (mount.Mount, error) {
	path, optList, _ := strings.Cut(entry, ":")
	m := mount.Mount{Type: mount.TypeTmpfs, Target: path}
	if optList == "" {
		return m, nil
	}
	m.TmpfsOptions = &mount.TmpfsOptions{}
	for _, opt := range strings.Split(optList, ",") {
		k, val, _ := strings.Cut(opt, "=")
		switch k {
		case "size":
			n, err := units.RAMInBytes(val)
			if err != nil {
				return m, fmt.Errorf("%w: service %s: tmpfs %s: size %q: %v", ErrInvalid, service, entry, val, err)
			}
			m.TmpfsOptions.SizeBytes = n
		case "mode":
			n, err := strconv.ParseUint(val, 8, 32)
			if err != nil {
				return m, fmt.Errorf("%w: service %s: tmpfs %s: mode %q is not octal", ErrInvalid, service, entry, val)
			}
			m.TmpfsOptions.Mode = os.FileMode(n)
		default:
			c.warn(service, "tmpfs."+k, ignored)
		}
	}
	return m, nil
}
