package convert

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/blkiodev"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/go-connections/nat"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// specFor converts service web (container number 1) of the compose file.
func specFor(t *testing.T, yaml string, target Target) Spec {
	t.Helper()
	p := load(t, yaml)
	spec, err := ContainerSpec(p, p.Services["web"], 1, "", "", target)
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

func i64(v int64) *int64 { return &v }
func bptr(v bool) *bool  { return &v }

// The expected values are what docker compose (pkg/compose/create.go)
// sends to the engine for the same file.
func TestContainerSpecResources(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       container.Resources
	}{
		{"deploy limits and reservations", `
services:
  web:
    image: img
    deploy:
      resources:
        limits: {cpus: "0.5", memory: 1.5G, pids: 64}
        reservations: {memory: 512M, devices: [{driver: nvidia, count: 2, capabilities: [gpu, utility]}]}
`, container.Resources{
			NanoCPUs: 5e8, Memory: 1610612736, MemoryReservation: 536870912, PidsLimit: i64(64),
			OomKillDisable: bptr(false),
			DeviceRequests: []container.DeviceRequest{{Driver: "nvidia", Count: 2, Capabilities: [][]string{{"gpu", "utility"}}}},
		}},
		{"top-level cpu and memory keys", `
services:
  web:
    image: img
    cpus: 1.5
    cpu_shares: 512
    cpu_quota: 50000
    cpu_period: 100000
    cpu_rt_runtime: 950
    cpu_rt_period: 1000
    cpuset: "0-1"
    cpu_count: 2
    cpu_percent: 50
    mem_limit: 64m
    mem_reservation: 32m
    memswap_limit: 128m
    mem_swappiness: 10
    oom_kill_disable: true
    pids_limit: 100
    cgroup_parent: mygroup
    device_cgroup_rules: ["c 1:3 mr"]
`, container.Resources{
			NanoCPUs: 15e8, CPUShares: 512, CPUQuota: 50000, CPUPeriod: 100000, CPURealtimeRuntime: 950,
			CPURealtimePeriod: 1000, CpusetCpus: "0-1", CPUCount: 2, CPUPercent: 5000,
			Memory: 64 << 20, MemoryReservation: 32 << 20, MemorySwap: 128 << 20, MemorySwappiness: i64(10),
			OomKillDisable: bptr(true), PidsLimit: i64(100), CgroupParent: "mygroup",
			DeviceCgroupRules: []string{"c 1:3 mr"},
		}},
		{"ulimits single and soft/hard, sorted", `
services:
  web:
    image: img
    ulimits: {nproc: 65535, nofile: {soft: 1024, hard: 2048}}
`, container.Resources{OomKillDisable: bptr(false), Ulimits: []*container.Ulimit{
			{Name: "nofile", Soft: 1024, Hard: 2048}, {Name: "nproc", Soft: 65535, Hard: 65535},
		}}},
		{"blkio_config", `
services:
  web:
    image: img
    blkio_config:
      weight: 300
      weight_device: [{path: /dev/sda, weight: 400}]
      device_read_bps: [{path: /dev/sda, rate: 12mb}]
      device_write_iops: [{path: /dev/sda, rate: 30}]
`, container.Resources{OomKillDisable: bptr(false), BlkioWeight: 300,
			BlkioWeightDevice:    []*blkiodev.WeightDevice{{Path: "/dev/sda", Weight: 400}},
			BlkioDeviceReadBps:   []*blkiodev.ThrottleDevice{{Path: "/dev/sda", Rate: 12 << 20}},
			BlkioDeviceWriteIOps: []*blkiodev.ThrottleDevice{{Path: "/dev/sda", Rate: 30}},
		}},
		{"devices, CDI devices and gpus", `
services:
  web:
    image: img
    devices: ["/dev/fuse:/dev/fuse:rwm", "vendor.com/gpu=0"]
    gpus: all
`, container.Resources{OomKillDisable: bptr(false),
			Devices: []container.DeviceMapping{{PathOnHost: "/dev/fuse", PathInContainer: "/dev/fuse", CgroupPermissions: "rwm"}},
			DeviceRequests: []container.DeviceRequest{
				{Driver: "cdi", DeviceIDs: []string{"vendor.com/gpu=0"}},
				{Count: -1, Capabilities: [][]string{{"gpu"}}},
			},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eq(t, specFor(t, tt.yaml, Target{}).Host.Resources, tt.want)
		})
	}
}

func TestContainerSpecProcess(t *testing.T) {
	s := specFor(t, `
services:
  web:
    image: img
    logging: {driver: json-file, options: {max-size: 1m, max-file: "3"}}
    group_add: [audio, "1001"]
    ipc: shareable
    pid: host
    uts: host
    userns_mode: host
    cgroup: private
    isolation: default
    runtime: runc
    storage_opt: {size: 1G}
    domainname: example.org
    annotations: {com.example.a: "1"}
    init: true
    stop_signal: SIGINT
    stop_grace_period: 3s
    oom_score_adj: 500
    shm_size: 64m
    dns_opt: [use-vc]
    extra_hosts: ["host.docker.internal:host-gateway"]
    restart: on-failure:2
    platform: linux/amd64
`, Target{APIVersion: "1.44"})
	h, c := s.Host, s.Config
	eq(t, h.LogConfig, container.LogConfig{Type: "json-file", Config: map[string]string{"max-size": "1m", "max-file": "3"}})
	eq(t, h.GroupAdd, []string{"audio", "1001"})
	eq(t, []string{string(h.IpcMode), string(h.PidMode), string(h.UTSMode), string(h.UsernsMode), string(h.CgroupnsMode), string(h.Isolation), h.Runtime},
		[]string{"shareable", "host", "host", "host", "private", "default", "runc"})
	eq(t, h.StorageOpt, map[string]string{"size": "1G"})
	eq(t, c.Domainname, "example.org")
	eq(t, h.Annotations, map[string]string{"com.example.a": "1"})
	eq(t, *h.Init, true)
	eq(t, c.StopSignal, "SIGINT")
	eq(t, *c.StopTimeout, 3)
	eq(t, h.OomScoreAdj, 500)
	eq(t, h.ShmSize, int64(64<<20))
	eq(t, h.DNSOptions, []string{"use-vc"})
	eq(t, h.ExtraHosts, []string{"host.docker.internal:host-gateway"})
	eq(t, h.RestartPolicy, container.RestartPolicy{Name: "on-failure", MaximumRetryCount: 2})
	eq(t, s.Platform, &ocispec.Platform{OS: "linux", Architecture: "amd64"})
}

func TestContainerSpecProcessDefaults(t *testing.T) {
	s := specFor(t, "services: {web: {image: img, deploy: {restart_policy: {condition: any, max_attempts: 4}}, logging: {driver: syslog, options: {tag: x}}}}", Target{})
	eq(t, s.Host.RestartPolicy, container.RestartPolicy{Name: "always", MaximumRetryCount: 4})
	eq(t, s.Host.LogConfig, container.LogConfig{Type: "syslog", Config: map[string]string{"tag": "x"}})
	eq(t, s.Platform, (*ocispec.Platform)(nil))
	eq(t, specFor(t, "services: {web: {image: img}}", Target{}).Host.RestartPolicy, container.RestartPolicy{})
}

func TestContainerSpecHealthcheck(t *testing.T) {
	yaml := `
services:
  web:
    image: img
    healthcheck: {test: [CMD, "true"], interval: 2s, timeout: 3s, retries: 4, start_period: 5s, start_interval: 1s}
`
	want := container.HealthConfig{Test: []string{"CMD", "true"}, Interval: 2 * time.Second, Timeout: 3 * time.Second,
		Retries: 4, StartPeriod: 5 * time.Second, StartInterval: time.Second}
	eq(t, *specFor(t, yaml, Target{APIVersion: "1.44"}).Config.Healthcheck, want)
	want.StartInterval = 0 // API 1.41 has no field for it: warned about, not sent
	eq(t, *specFor(t, yaml, Target{APIVersion: "1.41"}).Config.Healthcheck, want)
	off := specFor(t, "services: {web: {image: img, healthcheck: {disable: true}}}", Target{})
	eq(t, off.Config.Healthcheck.Test, []string{"NONE"})
}

func TestContainerSpecPorts(t *testing.T) {
	s := specFor(t, `
services:
  web:
    image: img
    ports:
      - "127.0.0.1:8000-8001:80-81/udp"
      - "[::1]:9000:90"
      - {target: 70, published: "7000", name: web, app_protocol: http, mode: host}
      - "6000-6010:60"
      - "50"
    expose: ["3000-3001", "53/udp"]
`, Target{})
	eq(t, s.Host.PortBindings, nat.PortMap{
		"80/udp": {{HostIP: "127.0.0.1", HostPort: "8000"}},
		"81/udp": {{HostIP: "127.0.0.1", HostPort: "8001"}},
		"90/tcp": {{HostIP: "::1", HostPort: "9000"}},
		"70/tcp": {{HostPort: "7000"}},
		"60/tcp": {{HostPort: "6000-6010"}},
		"50/tcp": {{}},
	})
	eq(t, s.Config.ExposedPorts, nat.PortSet{"80/udp": {}, "81/udp": {}, "90/tcp": {}, "70/tcp": {}, "60/tcp": {}, "50/tcp": {},
		"3000/tcp": {}, "3001/tcp": {}, "53/udp": {}})
}

func TestContainerSpecWiring(t *testing.T) {
	yaml := `
services:
  db: {image: img}
  web:
    image: img
    links: ["db:database"]
    external_links: ["other-db-1:legacy", "solo"]
    volumes_from: ["db:ro", "container:keeper"]
    ipc: "service:db"
    networks:
      front: {aliases: [www], ipv4_address: 10.5.0.7, link_local_ips: [169.254.1.1], driver_opts: {foo: bar}, priority: 10, mac_address: "02:42:ac:11:00:07"}
      back: {gw_priority: 1}
networks: {front: {}, back: {}}
`
	refs := map[string][]Ref{"db": {
		{ID: "id2", Name: "demo-db-2", Number: 2},
		{ID: "id1", Name: "demo-db-1", Number: 1},
	}}
	s := specFor(t, yaml, Target{APIVersion: "1.41", Refs: refs})
	links := []string{
		"demo-db-1:database", "demo-db-1:db-1", "demo-db-1:demo-db-1",
		"demo-db-2:database", "demo-db-2:db-1", "demo-db-2:demo-db-1",
		"other-db-1:legacy", "solo:solo",
	}
	eq(t, s.Host.Links, links)
	eq(t, s.Host.VolumesFrom, []string{"id1:ro", "keeper"})
	eq(t, string(s.Host.IpcMode), "container:id1")
	eq(t, string(s.Host.NetworkMode), "demo_front")
	eq(t, s.Config.MacAddress, "02:42:ac:11:00:07") //nolint:staticcheck // where API 1.41 takes it
	eq(t, s.Network.EndpointsConfig["demo_front"], &network.EndpointSettings{
		Aliases:    []string{"demo-web-1", "web", "www"},
		Links:      links,
		IPAMConfig: &network.EndpointIPAMConfig{IPv4Address: "10.5.0.7", LinkLocalIPs: []string{"169.254.1.1"}},
		DriverOpts: map[string]string{"foo": "bar"},
	})
	eq(t, s.Connects["demo_back"], &network.EndpointSettings{
		Aliases: []string{"demo-web-1", "web"}, Links: links, IPAMConfig: &network.EndpointIPAMConfig{},
	})

	s = specFor(t, yaml, Target{APIVersion: "1.48", Refs: refs})
	eq(t, s.Config.MacAddress, "") //nolint:staticcheck // 1.44 moved it to the endpoint
	eq(t, s.Network.EndpointsConfig["demo_front"].MacAddress, "02:42:ac:11:00:07")
	eq(t, s.Connects["demo_back"].GwPriority, 1)
}

func TestContainerSpecNetworkModeService(t *testing.T) {
	s := specFor(t, `
services:
  db: {image: img}
  web: {image: img, network_mode: "service:db", pid: "service:db"}
`, Target{Refs: map[string][]Ref{"db": {{ID: "dbid", Name: "demo-db-1", Number: 1}}}})
	eq(t, string(s.Host.NetworkMode), "container:dbid")
	eq(t, string(s.Host.PidMode), "container:dbid")
	eq(t, s.Network, (*network.NetworkingConfig)(nil))

	// The hostname is no network alias, as in docker compose.
	s = specFor(t, "services: {web: {image: img, hostname: box}}", Target{})
	eq(t, s.Network.EndpointsConfig["demo_default"].Aliases, []string{"demo-web-1", "web"})
}

func TestServiceRefs(t *testing.T) {
	p := load(t, `
services:
  a: {image: img}
  b: {image: img}
  c: {image: img}
  web: {image: img, network_mode: "service:a", volumes_from: ["b:ro", "container:x"], links: ["c:alias"]}
`)
	eq(t, ServiceRefs(p.Services["web"]), []string{"a", "b", "c"})
	eq(t, ServiceRefs(p.Services["a"]), []string(nil))
}

func TestAttachedServices(t *testing.T) {
	p := load(t, "services: {a: {image: img}, b: {image: img, attach: false}, c: {image: img, attach: true}}")
	eq(t, AttachedServices(p), []string{"a", "c"})
	eq(t, AttachedServices(load(t, "services: {b: {image: img, attach: false}}")), []string(nil))
}

func TestContainerSpecSecurityOpt(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "profile.json"), []byte("{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := svc("web", func(s *types.ServiceConfig) {
		s.SecurityOpt = []string{"seccomp:profile.json", "no-new-privileges:true", "label=disable", "systempaths=unconfined", "apparmor=unconfined"}
	})
	p := project(s)
	p.WorkingDir = dir
	spec, err := ContainerSpec(p, s, 1, "", "", Target{ReadFile: os.ReadFile})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, spec.Host.SecurityOpt, []string{`seccomp={"defaultAction":"SCMP_ACT_ALLOW"}`, "no-new-privileges:true", "label=disable", "apparmor=unconfined"})
	eq(t, spec.Host.MaskedPaths, []string{})
	eq(t, spec.Host.ReadonlyPaths, []string{})

	s.SecurityOpt = []string{"seccomp=missing.json"}
	if _, err := ContainerSpec(project(s), s, 1, "", "", Target{ReadFile: os.ReadFile}); !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), `service web: security_opt "seccomp=missing.json"`) {
		t.Fatalf("got %v", err)
	}
	s.SecurityOpt = []string{"bogus"}
	if _, err := ContainerSpec(project(s), s, 1, "", "", Target{}); !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("got %v", err)
	}
}

func TestContainerSpecPassThrough(t *testing.T) {
	p := load(t, "services: {web: {image: img, network_mode: 'container:keeper', ipc: host}}")
	p.Environment = types.Mapping{"DOCKER_DEFAULT_PLATFORM": "linux/arm64/v8"}
	spec, err := ContainerSpec(p, p.Services["web"], 1, "", "", Target{})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, string(spec.Host.NetworkMode), "container:keeper")
	eq(t, string(spec.Host.IpcMode), "host")
	eq(t, spec.Platform, &ocispec.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"})
	eq(t, ServiceRefs(p.Services["web"]), []string(nil))
}
