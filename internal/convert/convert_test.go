package convert

import (
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/go-connections/nat"
)

func dur(d time.Duration) *types.Duration { v := types.Duration(d); return &v }

func TestContainerSpec(t *testing.T) {
	two := uint64(2)
	val := "v"
	tests := []struct {
		name  string
		mod   func(*types.ServiceConfig)
		check func(t *testing.T, s Spec)
	}{
		{"ports with host ip", func(s *types.ServiceConfig) {
			s.Ports = []types.ServicePortConfig{{Target: 80, Published: "8080", HostIP: "127.0.0.1"}, {Target: 53, Protocol: "udp"}}
		}, func(t *testing.T, s Spec) {
			want := nat.PortMap{"80/tcp": {{HostIP: "127.0.0.1", HostPort: "8080"}}, "53/udp": {{}}}
			eq(t, s.Host.PortBindings, want)
			eq(t, len(s.Config.ExposedPorts), 2)
		}},
		{"environment sorted, unset dropped", func(s *types.ServiceConfig) {
			s.Environment = types.MappingWithEquals{"B": &val, "A": &val, "UNSET": nil}
		}, func(t *testing.T, s Spec) { eq(t, s.Config.Env, []string{"A=v", "B=v"}) }},
		{"healthcheck", func(s *types.ServiceConfig) {
			s.HealthCheck = &types.HealthCheckConfig{Test: []string{"CMD", "true"}, Interval: dur(time.Second), Retries: &two}
		}, func(t *testing.T, s Spec) {
			eq(t, *s.Config.Healthcheck, container.HealthConfig{Test: []string{"CMD", "true"}, Interval: time.Second, Retries: 2})
		}},
		{"healthcheck disabled", func(s *types.ServiceConfig) { s.HealthCheck = &types.HealthCheckConfig{Disable: true} },
			func(t *testing.T, s Spec) { eq(t, s.Config.Healthcheck.Test, []string{"NONE"}) }},
		{"restart on-failure with count", func(s *types.ServiceConfig) { s.Restart = "on-failure:3" },
			func(t *testing.T, s Spec) {
				eq(t, s.Host.RestartPolicy, container.RestartPolicy{Name: "on-failure", MaximumRetryCount: 3})
			}},
		{"stop grace period and signal", func(s *types.ServiceConfig) { s.StopGracePeriod = dur(3 * time.Second); s.StopSignal = "SIGINT" },
			func(t *testing.T, s Spec) { eq(t, *s.Config.StopTimeout, 3); eq(t, s.Config.StopSignal, "SIGINT") }},
		{"named, bind and tmpfs mounts", func(s *types.ServiceConfig) {
			s.Volumes = []types.ServiceVolumeConfig{
				{Type: "volume", Source: "data", Target: "/data"},
				{Type: "bind", Source: "/src", Target: "/app", ReadOnly: true},
				{Type: "volume", Target: "/anon"},
			}
			s.Tmpfs = types.StringList{"/run:size=1m"}
		}, func(t *testing.T, s Spec) {
			eq(t, s.Host.Mounts, []mount.Mount{{Type: "volume", Target: "/anon"}})
			eq(t, s.Host.Binds, []string{"demo_data:/data:rw", "/src:/app:ro"})
			eq(t, s.Host.Tmpfs, map[string]string{"/run": "size=1m"})
		}},
		{"first network at create, the rest connected", func(s *types.ServiceConfig) {
			s.Networks = map[string]*types.ServiceNetworkConfig{"default": nil, "back": {Aliases: []string{"api"}, Priority: 10}}
		}, func(t *testing.T, s Spec) {
			eq(t, string(s.Host.NetworkMode), "demo_back")
			eq(t, s.Network.EndpointsConfig["demo_back"].Aliases, []string{"demo-web-2", "web", "api"})
			eq(t, s.Connects["demo_default"].Aliases, []string{"demo-web-2", "web"})
		}},
		{"compose labels", func(s *types.ServiceConfig) {
			s.Labels = types.Labels{"mine": "1"}
			s.DependsOn = types.DependsOnConfig{"db": {Condition: "service_healthy", Restart: true}}
		}, func(t *testing.T, s Spec) {
			l := s.Config.Labels
			eq(t, l["mine"], "1")
			eq(t, l[LabelProject], "demo")
			eq(t, l[LabelService], "web")
			eq(t, l[LabelNumber], "2")
			eq(t, l[LabelOneoff], "False")
			eq(t, l[LabelDependsOn], "db:service_healthy:true")
			eq(t, l[LabelImage], "sha256:abc")
			eq(t, len(l[LabelConfigHash]), 64)
		}},
		{"name from container_name", func(s *types.ServiceConfig) { s.ContainerName = "custom" },
			func(t *testing.T, s Spec) { eq(t, s.Name, "custom") }},
		{"misc host settings", func(s *types.ServiceConfig) {
			tr := true
			s.Init, s.Privileged, s.CapAdd, s.CapDrop = &tr, true, []string{"NET_ADMIN"}, []string{"ALL"}
			s.ExtraHosts = types.HostsList{"host.docker.internal": {"host-gateway"}}
			s.User, s.WorkingDir, s.Hostname = "1000", "/app", "box"
		}, func(t *testing.T, s Spec) {
			eq(t, *s.Host.Init, true)
			eq(t, s.Host.Privileged, true)
			eq(t, s.Host.CapAdd, []string{"NET_ADMIN"})
			eq(t, s.Host.CapDrop, []string{"ALL"})
			eq(t, s.Host.ExtraHosts, []string{"host.docker.internal:host-gateway"})
			eq(t, []string{s.Config.User, s.Config.WorkingDir, s.Config.Hostname}, []string{"1000", "/app", "box"})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := svc("web", tt.mod)
			p := project(s)
			p.Networks["back"] = types.NetworkConfig{Name: "demo_back"}
			spec, err := ContainerSpec(p, s, 2, "sha256:abc", ServiceHash(s), Target{})
			if err != nil {
				t.Fatal(err)
			}
			if tt.name != "name from container_name" {
				eq(t, spec.Name, "demo-web-2")
			}
			tt.check(t, spec)
		})
	}
}

func TestUnsupportedKeys(t *testing.T) {
	s := svc("web", func(s *types.ServiceConfig) {
		s.Ports = []types.ServicePortConfig{{Target: 80}}
		s.Ipc = "host"
		s.Deploy = &types.DeployConfig{Resources: types.Resources{Limits: &types.Resource{NanoCPUs: 1}}}
		s.HealthCheck = &types.HealthCheckConfig{StartInterval: dur(time.Second)}
	})
	eq(t, unsupportedKeys(s), []string(nil))
	s.PostStart = []types.ServiceHook{{Command: types.ShellCommand{"true"}}}
	s.Deploy.Placement = types.Placement{Constraints: []string{"node.role==manager"}}
	s.Deploy.Resources.Reservations = &types.Resource{NanoCPUs: 1}
	s.Networks = map[string]*types.ServiceNetworkConfig{"default": {InterfaceName: "eth7"}}
	eq(t, unsupportedKeys(s), []string{"deploy.placement", "deploy.resources.reservations.cpus", "networks.default.interface_name", "post_start"})
	eq(t, unsupportedKeys(svc("plain")), []string(nil))
}

func TestPublishedPorts(t *testing.T) {
	p := project(svc("web", func(s *types.ServiceConfig) {
		s.Ports = []types.ServicePortConfig{{Target: 80, Published: "8000-8001", HostIP: "127.0.0.1"}, {Target: 90}}
	}))
	got, err := PublishedPorts(p)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, got, []HostPort{{"web", "127.0.0.1", 8000, "tcp"}, {"web", "127.0.0.1", 8001, "tcp"}})
}
