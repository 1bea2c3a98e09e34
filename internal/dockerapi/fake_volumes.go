package dockerapi

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/volume"
)

// VolumeCreate creates a volume (an anonymous one without a name); a
// volume of the name that exists is returned as it is.
func (f *FakeClient) VolumeCreate(_ context.Context, o volume.CreateOptions) (volume.Volume, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("VolumeCreate", o.Name); err != nil {
		return volume.Volume{}, err
	}
	return clone(*f.createVolume(o.Name, o.Labels, o.DriverOpts)), nil
}

func (f *FakeClient) createVolume(name string, labels, opts map[string]string) *volume.Volume {
	if name == "" {
		name = f.newID("volume")
	}
	if v := f.volumes[name]; v != nil {
		return v
	}
	v := &volume.Volume{Name: name, Driver: "local", Labels: maps.Clone(labels), Options: maps.Clone(opts), Scope: "local",
		Mountpoint: "/var/lib/docker/volumes/" + name + "/_data", CreatedAt: f.now().Format(time.RFC3339)}
	if v.Labels == nil {
		v.Labels = map[string]string{}
	}
	f.volumes[name] = v
	f.emit(events.VolumeEventType, events.ActionCreate, name, map[string]string{"driver": "local"})
	return v
}

func (f *FakeClient) removeVolume(name string) {
	delete(f.volumes, name)
	f.emit(events.VolumeEventType, events.ActionDestroy, name, map[string]string{"driver": "local"})
}

// volumeUsers names the containers that mount the volume.
func (f *FakeClient) volumeUsers(name string) []string {
	var ids []string
	for _, c := range f.containers {
		for _, m := range c.Mounts {
			if m.Type == mount.TypeVolume && m.Name == name {
				ids = append(ids, c.ID)
			}
		}
	}
	return ids
}

var volumeFilters = map[string]bool{"dangling": true, "driver": true, "label": true, "name": true}

// VolumeList lists the volumes by name, filtered by name (a substring),
// label, driver and dangling.
func (f *FakeClient) VolumeList(_ context.Context, o volume.ListOptions) (volume.ListResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("VolumeList", ""); err != nil {
		return volume.ListResponse{}, err
	}
	if err := o.Filters.Validate(volumeFilters); err != nil {
		return volume.ListResponse{}, invalid("%v", err)
	}
	out := volume.ListResponse{Volumes: []*volume.Volume{}}
	for _, name := range slices.Sorted(maps.Keys(f.volumes)) {
		v := f.volumes[name]
		if volumeListed(v, o.Filters, len(f.volumeUsers(name)) == 0) {
			c := clone(*v)
			out.Volumes = append(out.Volumes, &c)
		}
	}
	return out, nil
}

func volumeListed(v *volume.Volume, fl filters.Args, dangling bool) bool {
	d := "false"
	if dangling {
		d = "true"
	}
	return fl.Match("name", v.Name) && fl.MatchKVList("label", v.Labels) && fl.ExactMatch("driver", v.Driver) &&
		(fl.ExactMatch("dangling", d) || (d == "true" && fl.ExactMatch("dangling", "1")) || (d == "false" && fl.ExactMatch("dangling", "0")))
}

// VolumeRemove removes a volume no container mounts; with force, a
// missing one is no error.
func (f *FakeClient) VolumeRemove(_ context.Context, name string, force bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("VolumeRemove", name); err != nil {
		return err
	}
	if f.volumes[name] == nil {
		if force {
			return nil
		}
		return notFound("get %s: no such volume", name)
	}
	if users := f.volumeUsers(name); len(users) > 0 {
		return conflict("remove %s: volume is in use - [%s]", name, strings.Join(users, ", "))
	}
	f.removeVolume(name)
	return nil
}

// mountPoints works out a new container's mounts: its binds ("SRC:DST
// [:MODE]", SRC a host path or a volume's name), its mounts, and a volume
// for each VOLUME of the image nothing else is mounted at. A volume
// without a name is anonymous; a destination used twice is refused.
func (f *FakeClient) mountPoints(host *container.HostConfig, img *image.InspectResponse) ([]container.MountPoint, error) {
	var out []container.MountPoint
	add := func(m container.MountPoint) error {
		if slices.ContainsFunc(out, func(o container.MountPoint) bool { return o.Destination == m.Destination }) {
			return invalid("Duplicate mount point: %s", m.Destination)
		}
		out = append(out, m)
		return nil
	}
	for _, b := range host.Binds {
		parts := strings.Split(b, ":")
		if len(parts) < 2 {
			return nil, invalid("invalid volume specification: '%s'", b)
		}
		m := container.MountPoint{Type: mount.TypeBind, Source: parts[0], Destination: parts[1], RW: true}
		if len(parts) > 2 {
			m.Mode, m.RW = parts[2], !slices.Contains(strings.Split(parts[2], ","), "ro")
		}
		if !strings.HasPrefix(parts[0], "/") {
			m.Type, m.Name, m.Source, m.Driver = mount.TypeVolume, parts[0], "", "local"
		}
		if err := add(m); err != nil {
			return nil, err
		}
	}
	for _, mt := range host.Mounts {
		m := container.MountPoint{Type: mt.Type, Source: mt.Source, Destination: mt.Target, RW: !mt.ReadOnly}
		if mt.Type == mount.TypeVolume {
			m.Name, m.Source, m.Driver = mt.Source, "", "local"
		}
		if err := add(m); err != nil {
			return nil, err
		}
	}
	if img.Config != nil {
		for _, dst := range slices.Sorted(maps.Keys(img.Config.Volumes)) {
			if !slices.ContainsFunc(out, func(o container.MountPoint) bool { return o.Destination == dst }) {
				out = append(out, container.MountPoint{Type: mount.TypeVolume, Destination: dst, RW: true, Driver: "local"})
			}
		}
	}
	return out, nil
}

// createVolumes creates the volumes the mounts name that do not exist,
// and an anonymous one for each without a name, which it returns too.
func (f *FakeClient) createVolumes(mounts []container.MountPoint) (out []container.MountPoint, anon []string) {
	for _, m := range mounts {
		if m.Type == mount.TypeVolume {
			v := f.createVolume(m.Name, nil, nil)
			if m.Name == "" {
				anon = append(anon, v.Name)
			}
			m.Name, m.Source = v.Name, v.Mountpoint
		}
		out = append(out, m)
	}
	return out, anon
}
