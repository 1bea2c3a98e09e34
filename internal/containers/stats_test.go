package containers

import (
	"testing"

	"github.com/docker/docker/api/types/container"
)

func TestStatsFrom(t *testing.T) {
	var s container.StatsResponse
	s.PreCPUStats.CPUUsage.TotalUsage, s.CPUStats.CPUUsage.TotalUsage = 1000, 1500
	s.PreCPUStats.SystemUsage, s.CPUStats.SystemUsage = 10000, 20000
	s.CPUStats.OnlineCPUs = 2
	s.MemoryStats = container.MemoryStats{Usage: 300, Limit: 1000, Stats: map[string]uint64{"inactive_file": 100}}
	s.Networks = map[string]container.NetworkStats{"eth0": {RxBytes: 10, TxBytes: 20}, "eth1": {RxBytes: 1, TxBytes: 2}}
	s.BlkioStats.IoServiceBytesRecursive = []container.BlkioStatEntry{{Op: "Read", Value: 7}, {Op: "write", Value: 9}, {Op: "Total", Value: 16}}
	s.PidsStats.Current = 3
	want := StatsRow{ID: "abc", Name: "x-web-1", CPUPerc: 10, MemUsage: 200, MemLimit: 1000, MemPerc: 20,
		NetRx: 11, NetTx: 22, BlockRead: 7, BlockWrite: 9, PIDs: 3}
	if got := StatsFrom("abc", "x-web-1", s); got != want {
		t.Errorf("StatsFrom = %+v, want %+v", got, want)
	}
	if got := StatsFrom("abc", "x", container.StatsResponse{}); got.CPUPerc != 0 || got.MemPerc != 0 {
		t.Errorf("StatsFrom(empty) = %+v, want zeros", got)
	}
}
