package dockerapi

import (
	"context"
	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/volume"
	"time"

	"github.com/docker/docker/api/types/system"
)

// SetClockSkew makes the engine's clock run ahead of the host's by d
// (behind when negative), as Info's SystemTime reports it.
func (f *FakeClient) SetClockSkew(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.skew = d
}

// Info answers as a Linux Docker Engine with its data root in /var/lib/docker.
func (f *FakeClient) Info(context.Context) (system.Info, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.begin("Info", ""); err != nil {
		return system.Info{}, err
	}
	return system.Info{
		Name: "fake", ServerVersion: "28.5.2", OperatingSystem: "Docker Engine (fake)", OSType: "linux",
		DockerRootDir: "/var/lib/docker", SystemTime: f.now().Add(f.skew).Format(time.RFC3339Nano),
		Containers: len(f.containers), Images: len(f.images),
	}, nil
}

// SetDiskUsage makes DiskUsage answer du (the sizes the fake does not keep).
func (f *FakeClient) SetDiskUsage(du types.DiskUsage) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.df = &du
}

// SlowDiskUsage makes DiskUsage take d before it answers, as on an engine
// with much to add up; a context that ends first ends the call.
func (f *FakeClient) SlowDiskUsage(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dfDelay = d
}

// DiskUsage answers as /system/df: what SetDiskUsage set, else the
// images, containers and volumes there are, their sizes 0.
func (f *FakeClient) DiskUsage(ctx context.Context, _ types.DiskUsageOptions) (types.DiskUsage, error) {
	f.mu.Lock()
	err, delay := f.begin("DiskUsage", ""), f.dfDelay
	f.mu.Unlock()
	if err != nil {
		return types.DiskUsage{}, err
	}
	select {
	case <-time.After(delay):
	case <-ctx.Done():
		return types.DiskUsage{}, ctx.Err()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.df != nil {
		return *f.df, nil
	}
	var du types.DiskUsage
	used := map[string]int64{}
	for _, c := range f.containers {
		used[c.Image]++
		du.Containers = append(du.Containers, &container.Summary{ID: c.ID, Names: []string{c.Name}, Image: c.Config.Image, ImageID: c.Image, State: c.State.Status})
	}
	for id := range f.images {
		du.Images = append(du.Images, &image.Summary{ID: id, Containers: used[id]})
	}
	for name := range f.volumes {
		du.Volumes = append(du.Volumes, &volume.Volume{Name: name, UsageData: &volume.UsageData{RefCount: int64(len(f.volumeUsers(name)))}})
	}
	return du, nil
}
