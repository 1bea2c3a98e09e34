package enginefeed

import (
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/go-connections/nat"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/feed"
)

func TestStateOf(t *testing.T) {
	ins := container.InspectResponse{
		ContainerJSONBase: &container.ContainerJSONBase{
			ID: "abc", Name: "/p-web-2", RestartCount: 4,
			State: &container.State{Status: "running", StartedAt: "2026-01-02T10:00:00.5Z", Health: &container.Health{Status: "healthy"}},
		},
		Config: &container.Config{Labels: map[string]string{convert.LabelService: "web", convert.LabelNumber: "2"}},
		NetworkSettings: &container.NetworkSettings{
			NetworkSettingsBase: container.NetworkSettingsBase{Ports: nat.PortMap{
				"80/tcp":   {{HostIP: "127.0.0.1", HostPort: "8080"}, {HostIP: "::", HostPort: "8080"}},
				"443/tcp":  {{HostIP: "127.0.0.1", HostPort: "8443"}},
				"9000/tcp": nil, // exposed, not published
			}},
			Networks: map[string]*network.EndpointSettings{
				"a_other":   {IPAddress: "10.0.0.9"},
				"p_default": {IPAddress: "172.20.0.3"},
				"none":      {},
			},
		},
	}
	st := stateOf("p", ins)
	if st.Name != "p-web-2" || st.Service != "web" || st.Number != 2 || st.State != "running" || st.Health != "healthy" || st.RestartCount != 4 {
		t.Errorf("state %+v", st)
	}
	if want := time.Date(2026, 1, 2, 10, 0, 0, 5e8, time.UTC); !st.StartedAt.Equal(want) {
		t.Errorf("started %v", st.StartedAt)
	}
	if len(st.IPs) != 2 || st.IPs[0] != (feed.NetworkIP{Network: "p_default", IP: "172.20.0.3"}) {
		t.Errorf("IPs %v: want the project's network first", st.IPs)
	}
	if len(st.Ports) != 3 || st.Ports[0].ContainerPort != 80 || st.Ports[2] != (feed.PortBinding{HostIP: "127.0.0.1", HostPort: 8443, ContainerPort: 443, Proto: "tcp"}) {
		t.Errorf("ports %+v", st.Ports)
	}
}

func TestStatsOf(t *testing.T) {
	var s container.StatsResponse
	s.CPUStats.CPUUsage.TotalUsage, s.PreCPUStats.CPUUsage.TotalUsage = 3e9, 2e9
	s.CPUStats.SystemUsage, s.PreCPUStats.SystemUsage = 12e9, 8e9
	s.CPUStats.OnlineCPUs = 2
	s.MemoryStats.Usage, s.MemoryStats.Limit = 100<<20, 1<<30
	s.MemoryStats.Stats = map[string]uint64{"inactive_file": 30 << 20}
	st := StatsOf("a", s)
	if st.CPUPercent != 50 || st.MemBytes != 70<<20 || st.MemLimit != 1<<30 {
		t.Errorf("stats %+v", st)
	}
	s.MemoryStats.Stats = map[string]uint64{"inactive_file": 30 << 20, "total_inactive_file": 40 << 20} // cgroup v1
	if st := StatsOf("a", s); st.MemBytes != 60<<20 {
		t.Errorf("cgroup v1: stats %+v, want 60 MiB", st)
	}
}

// The dependency view's data: depends_on from the label, the health log's probes.
func TestStateOfDependenciesAndProbes(t *testing.T) {
	at := time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)
	ins := container.InspectResponse{
		ContainerJSONBase: &container.ContainerJSONBase{ID: "abc", Name: "/p-web-1",
			State: &container.State{Status: "running", Health: &container.Health{Status: "starting", Log: []*container.HealthcheckResult{
				{Start: at, ExitCode: 1, Output: "connection refused\n"},
			}}}},
		Config: &container.Config{Labels: map[string]string{convert.LabelService: "web", convert.LabelDependsOn: "db:service_healthy:false,job:service_completed_successfully:true"}},
	}
	st := stateOf("p", ins)
	want := []feed.Dependency{{Service: "db", Condition: "service_healthy"}, {Service: "job", Condition: "service_completed_successfully"}}
	if len(st.DependsOn) != 2 || st.DependsOn[0] != want[0] || st.DependsOn[1] != want[1] {
		t.Errorf("depends on %v", st.DependsOn)
	}
	if len(st.Probes) != 1 || st.Probes[0] != (feed.Probe{Start: at, ExitCode: 1, Output: "connection refused"}) {
		t.Errorf("probes %v", st.Probes)
	}
	if got := stateOf("p", container.InspectResponse{ContainerJSONBase: &container.ContainerJSONBase{}, Config: &container.Config{Labels: map[string]string{convert.LabelDependsOn: ""}}}); got.DependsOn != nil {
		t.Errorf("no depends_on: %v", got.DependsOn)
	}
}
