package engine

import (
	"context"
	"encoding/json"
	"time"

	"github.com/docker/docker/api/types/container"
)

// Stats is a container's resource use from the engine's stats stream.
type Stats struct {
	ContainerID string
	CPUPercent  float64 // of one CPU: 200 means two CPUs busy
	MemBytes    uint64  // usage without the page cache, as `docker stats` shows it
	MemLimit    uint64
}

// streamStats follows one container's stats stream (one sample a second
// from the engine) until ctx ends or the container stops.
func (f *feed) streamStats(ctx context.Context, id string) {
	resp, err := f.api.ContainerStats(ctx, id, true)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	for ctx.Err() == nil {
		var s container.StatsResponse
		if err := dec.Decode(&s); err != nil {
			return
		}
		if s.Read.IsZero() || s.Read.Before(time.Unix(1, 0)) {
			continue // a stopped container's stream sends empty samples
		}
		f.send(ctx, StatsOf(id, s))
	}
}

// StatsOf computes CPU% and memory the way `docker stats` does.
func StatsOf(id string, s container.StatsResponse) Stats {
	out := Stats{ContainerID: id, MemLimit: s.MemoryStats.Limit}
	cpu := float64(s.CPUStats.CPUUsage.TotalUsage) - float64(s.PreCPUStats.CPUUsage.TotalUsage)
	sys := float64(s.CPUStats.SystemUsage) - float64(s.PreCPUStats.SystemUsage)
	online := float64(s.CPUStats.OnlineCPUs)
	if online == 0 {
		online = float64(len(s.CPUStats.CPUUsage.PercpuUsage))
	}
	if cpu > 0 && sys > 0 {
		out.CPUPercent = cpu / sys * online * 100
	}
	mem := s.MemoryStats.Usage
	cache := s.MemoryStats.Stats["inactive_file"] // cgroup v2
	if v, ok := s.MemoryStats.Stats["total_inactive_file"]; ok {
		cache = v // cgroup v1
	}
	if cache < mem {
		mem -= cache
	}
	out.MemBytes = mem
	return out
}
