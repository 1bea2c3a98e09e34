package stack

import (
	"strings"
	"testing"

	"github.com/docker/docker/api/types/mount"
)

func TestConvertMounts(t *testing.T) {
	stackLabel := map[string]string{LabelNamespace: "shop"}
	for _, c := range []struct {
		name, body, top string
		want            []mount.Mount
	}{
		{"named volume, namespaced, with driver", "volumes: [data:/data]", "volumes:\n  data: {driver: local, driver_opts: {type: tmpfs, device: tmpfs}}\n", []mount.Mount{{
			Type: mount.TypeVolume, Source: "shop_data", Target: "/data",
			VolumeOptions: &mount.VolumeOptions{Labels: stackLabel, DriverConfig: &mount.Driver{Name: "local", Options: map[string]string{"type": "tmpfs", "device": "tmpfs"}}},
		}}},
		{"named volume read-only, nocopy, subpath", "volumes: [{type: volume, source: data, target: /data, read_only: true, volume: {nocopy: true, subpath: sub}}]", "volumes:\n  data: {}\n", []mount.Mount{{
			Type: mount.TypeVolume, Source: "shop_data", Target: "/data", ReadOnly: true,
			VolumeOptions: &mount.VolumeOptions{NoCopy: true, Subpath: "sub", Labels: stackLabel},
		}}},
		{"explicit name kept", "volumes: [data:/data]", "volumes:\n  data: {name: shared-data}\n", []mount.Mount{{
			Type: mount.TypeVolume, Source: "shared-data", Target: "/data", VolumeOptions: &mount.VolumeOptions{Labels: stackLabel},
		}}},
		{"external volume by its name, no labels", "volumes: [data:/data]", "volumes:\n  data: {external: true, name: old-data}\n", []mount.Mount{{
			Type: mount.TypeVolume, Source: "old-data", Target: "/data",
		}}},
		{"anonymous volume", "volumes: [/cache]", "", []mount.Mount{{Type: mount.TypeVolume, Target: "/cache"}}},
		{"bind, read-only, propagation", "volumes: [{type: bind, source: /srv, target: /srv, read_only: true, bind: {propagation: rslave}}]", "", []mount.Mount{{
			Type: mount.TypeBind, Source: "/srv", Target: "/srv", ReadOnly: true, BindOptions: &mount.BindOptions{Propagation: mount.PropagationRSlave},
		}}},
		{"tmpfs volume", "volumes: [{type: tmpfs, target: /tmp, tmpfs: {size: 1m, mode: 0o1777}}]", "", []mount.Mount{{
			Type: mount.TypeTmpfs, Target: "/tmp", TmpfsOptions: &mount.TmpfsOptions{SizeBytes: 1 << 20, Mode: 0o1777},
		}}},
		{"tmpfs key", "tmpfs: [/run, \"/var/cache:size=64m,mode=700\"]", "", []mount.Mount{
			{Type: mount.TypeTmpfs, Target: "/run"},
			{Type: mount.TypeTmpfs, Target: "/var/cache", TmpfsOptions: &mount.TmpfsOptions{SizeBytes: 64 << 20, Mode: 0o700}},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			check(t, c.name, web(t, c.body, c.top).Spec.TaskTemplate.ContainerSpec.Mounts, c.want)
		})
	}
}

func TestConvertBindRelative(t *testing.T) {
	m := web(t, "volumes: [./site:/site:ro]", "").Spec.TaskTemplate.ContainerSpec.Mounts
	if len(m) != 1 || m[0].Type != mount.TypeBind || !strings.HasSuffix(m[0].Source, "/site") || !strings.HasPrefix(m[0].Source, "/") || !m[0].ReadOnly {
		t.Errorf("mounts %+v: want a read-only bind of the absolute path of ./site", m)
	}
}

func TestStackVolumes(t *testing.T) {
	st, _ := mustConvert(t, `
services:
  a: {image: a, volumes: [data:/d, logs:/l]}
  b: {image: b, volumes: [data:/d]}
volumes:
  data: {driver: local}
  logs: {external: true}
  unused: {}
`)
	check(t, "volumes", st.Volumes, []Volume{
		{Name: "logs", Key: "logs", External: true},
		{Name: "shop_data", Key: "data", Driver: "local"},
	})
}
