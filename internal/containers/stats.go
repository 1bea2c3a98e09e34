package containers

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/docker/docker/api/types/container"
	"golang.org/x/sync/errgroup"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/plan"
)

// StatsRow is one container's resource use, as `stats` shows it.
type StatsRow struct {
	ID         string  `json:"ID"`
	Name       string  `json:"Name"`
	CPUPerc    float64 `json:"CPUPerc"`
	MemUsage   uint64  `json:"MemUsage"`
	MemLimit   uint64  `json:"MemLimit"`
	MemPerc    float64 `json:"MemPerc"`
	NetRx      uint64  `json:"NetRx"`
	NetTx      uint64  `json:"NetTx"`
	BlockRead  uint64  `json:"BlockRead"`
	BlockWrite uint64  `json:"BlockWrite"`
	PIDs       uint64  `json:"PIDs"`
}

// StatsFrom computes a row from one engine sample, as the docker CLI does:
// CPU from the delta to the previous sample, memory without the page
// cache. Pure.
func StatsFrom(id, name string, s container.StatsResponse) StatsRow {
	r := StatsRow{ID: id, Name: name, PIDs: s.PidsStats.Current, MemLimit: s.MemoryStats.Limit}
	cpuDelta := float64(s.CPUStats.CPUUsage.TotalUsage) - float64(s.PreCPUStats.CPUUsage.TotalUsage)
	sysDelta := float64(s.CPUStats.SystemUsage) - float64(s.PreCPUStats.SystemUsage)
	cpus := float64(s.CPUStats.OnlineCPUs)
	if cpus == 0 {
		cpus = float64(len(s.CPUStats.CPUUsage.PercpuUsage))
	}
	if cpuDelta > 0 && sysDelta > 0 {
		r.CPUPerc = cpuDelta / sysDelta * cpus * 100
	}
	r.MemUsage = s.MemoryStats.Usage
	for _, key := range []string{"total_inactive_file", "inactive_file"} { // cgroup v1, v2
		if v, ok := s.MemoryStats.Stats[key]; ok && v < r.MemUsage {
			r.MemUsage -= v
			break
		}
	}
	if r.MemLimit > 0 {
		r.MemPerc = float64(r.MemUsage) / float64(r.MemLimit) * 100
	}
	for _, n := range s.Networks {
		r.NetRx += n.RxBytes
		r.NetTx += n.TxBytes
	}
	for _, e := range s.BlkioStats.IoServiceBytesRecursive {
		switch strings.ToLower(e.Op) {
		case "read":
			r.BlockRead += e.Value
		case "write":
			r.BlockWrite += e.Value
		}
	}
	return r
}

// Stats samples the running containers of the named services (all when
// none named) once, concurrently.
func Stats(ctx context.Context, api dockerapi.ContainerAPI, project string, services []string) ([]StatsRow, error) {
	cs, err := Select(ctx, api, project, services)
	if err != nil {
		return nil, err
	}
	var running []plan.Container
	for _, c := range cs {
		if c.Running() {
			running = append(running, c)
		}
	}
	rows := make([]StatsRow, len(running))
	eg, ectx := errgroup.WithContext(ctx)
	eg.SetLimit(dockerapi.Parallelism)
	for i, c := range running {
		eg.Go(func() error {
			resp, err := api.ContainerStats(ectx, c.ID, false)
			if err != nil {
				return NamedError(c.Name, err)
			}
			defer resp.Body.Close()
			var s container.StatsResponse
			if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
				return NamedError(c.Name, err)
			}
			rows[i] = StatsFrom(c.ID[:12], c.Name, s)
			return nil
		})
	}
	return rows, eg.Wait()
}
