package dockerapi

import (
	"context"
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
