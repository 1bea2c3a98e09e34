package dockerapi

import (
	"context"
	"testing"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/container"
)

func TestIsPodman(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    types.Version
		want bool
	}{
		{"podman 4.3 component", types.Version{
			Platform:   struct{ Name string }{"linux/amd64/debian-12"},
			Components: []types.ComponentVersion{{Name: "Podman Engine", Version: "4.3.1"}, {Name: "Conmon"}},
		}, true},
		{"podman platform only", types.Version{Platform: struct{ Name string }{"Podman Engine"}}, true},
		{"docker engine", types.Version{
			Platform:   struct{ Name string }{"Docker Engine - Community"},
			Components: []types.ComponentVersion{{Name: "Engine"}, {Name: "containerd"}, {Name: "runc"}},
		}, false},
		{"nothing said", types.Version{}, false},
	} {
		if got := IsPodman(tc.v); got != tc.want {
			t.Errorf("%s: IsPodman = %v, want %v", tc.name, got, tc.want)
		}
		want := map[bool]string{true: "Podman", false: "Docker"}[tc.want]
		if got := EngineName(tc.v); got != want {
			t.Errorf("%s: EngineName = %q, want %q", tc.name, got, want)
		}
	}
}

// probe is a StopProbe: an engine's /version and one container's config.
type probe struct {
	version   types.Version
	cfg       *container.Config
	inspected int
}

func (p *probe) ServerVersion(context.Context) (types.Version, error) { return p.version, nil }

func (p *probe) ContainerInspect(context.Context, string) (container.InspectResponse, error) {
	p.inspected++
	return container.InspectResponse{Config: p.cfg}, nil
}

func TestStopTimeout(t *testing.T) {
	podman := types.Version{Components: []types.ComponentVersion{{Name: "Podman Engine"}}}
	docker := types.Version{Components: []types.ComponentVersion{{Name: "Engine"}}}
	thirty, zero, five := 30, 0, 5
	for _, tc := range []struct {
		name    string
		v       types.Version
		cfg     *container.Config
		timeout *int
		want    *int
	}{
		{"docker: the engine applies the container's own", docker, &container.Config{}, nil, nil},
		{"docker: -t passes", docker, &container.Config{}, &five, &five},
		{"podman: -t passes", podman, &container.Config{StopTimeout: &thirty}, &five, &five},
		{"podman: stop_grace_period", podman, &container.Config{StopTimeout: &thirty}, nil, &thirty},
		{"podman: none (reported as 0) is Docker's 10 s", podman, &container.Config{StopTimeout: &zero}, nil, intPtr(10)},
		{"podman: none at all", podman, &container.Config{}, nil, intPtr(10)},
	} {
		p := &probe{version: tc.v, cfg: tc.cfg}
		got := StopTimeout(context.Background(), p, "c1", tc.timeout)
		if (got == nil) != (tc.want == nil) || got != nil && *got != *tc.want {
			t.Errorf("%s: StopTimeout = %v, want %v", tc.name, deref(got), deref(tc.want))
		}
		if !IsPodman(tc.v) && p.inspected > 0 {
			t.Errorf("%s: inspected the container on Docker", tc.name)
		}
	}
}

func intPtr(i int) *int { return &i }

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestDockerState(t *testing.T) {
	inspect := func(status, policy string, code, restarted int) container.InspectResponse {
		return container.InspectResponse{
			ContainerJSONBase: &container.ContainerJSONBase{
				State:        &container.State{Status: status, ExitCode: code},
				HostConfig:   &container.HostConfig{RestartPolicy: container.RestartPolicy{Name: container.RestartPolicyMode(policy), MaximumRetryCount: 2}},
				RestartCount: restarted,
			},
		}
	}
	for _, tc := range []struct {
		name       string
		in         container.InspectResponse
		status     string
		restarting bool
	}{
		{"podman crash loop", inspect("stopped", "always", 3, 5), "restarting", true},
		{"podman on-failure, retries left", inspect("stopped", "on-failure", 3, 1), "restarting", true},
		{"podman on-failure, retries used", inspect("stopped", "on-failure", 3, 2), "exited", false},
		{"podman on-failure, success", inspect("stopped", "on-failure", 0, 0), "exited", false},
		{"podman no policy", inspect("stopped", "no", 3, 0), "exited", false},
		{"docker exited", inspect("exited", "always", 3, 0), "exited", false},
		{"docker running", inspect("running", "always", 0, 0), "running", false},
	} {
		got := DockerState(tc.in).State
		if got.Status != tc.status || got.Restarting != tc.restarting {
			t.Errorf("%s: %s restarting=%v, want %s restarting=%v", tc.name, got.Status, got.Restarting, tc.status, tc.restarting)
		}
	}
}
