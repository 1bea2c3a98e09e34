package convert

import (
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

func runProject() *types.Project {
	one := "1"
	s := types.ServiceConfig{Name: "web", Restart: "always"}
	s.Image, s.Command, s.Entrypoint = "img", types.ShellCommand{"serve"}, types.ShellCommand{"/init"}
	s.Environment = types.MappingWithEquals{"FOO": &one}
	s.Ports = []types.ServicePortConfig{{Target: 80, Published: "8080"}}
	s.Labels = types.Labels{"a": "1"}
	s.Networks = map[string]*types.ServiceNetworkConfig{"default": {Aliases: []string{"www"}}}
	return &types.Project{
		Name: "demo", WorkingDir: "/src", Environment: types.Mapping{"FROM_HOST": "h"},
		Networks: types.Networks{"default": {}}, Services: types.Services{"web": s},
	}
}

func TestRunService(t *testing.T) {
	ep := []string{"sh"}
	tests := []struct {
		name string
		o    RunOptions
		want func(types.ServiceConfig) string // "" when right
	}{
		{"defaults", RunOptions{Service: "web"}, func(s types.ServiceConfig) string {
			switch {
			case s.ContainerName != "demo-web-run-0123456789ab":
				return "name " + s.ContainerName
			case len(s.Ports) != 0:
				return "service ports published"
			case s.Restart != "":
				return "restart " + s.Restart
			case s.CustomLabels[LabelOneoff] != "True" || s.CustomLabels[LabelSlug] != strings.Repeat("0123456789ab", 2):
				return "labels " + strings.Join(s.CustomLabels.AsList(), ",")
			case strings.Join(s.Command, " ") != "serve":
				return "command " + strings.Join(s.Command, " ")
			}
			return ""
		}},
		{"command, entrypoint, user, workdir, name", RunOptions{Service: "web", Cmd: []string{"ls", "-l"}, Entrypoint: &ep, User: "1:2", WorkDir: "/w", Name: "mine"}, func(s types.ServiceConfig) string {
			if strings.Join(s.Command, " ") != "ls -l" || strings.Join(s.Entrypoint, " ") != "sh" || s.User != "1:2" || s.WorkingDir != "/w" || s.ContainerName != "mine" {
				return "got " + strings.Join(s.Command, " ") + "|" + strings.Join(s.Entrypoint, " ") + "|" + s.User + "|" + s.WorkingDir + "|" + s.ContainerName
			}
			return ""
		}},
		{"entrypoint alone drops the command", RunOptions{Service: "web", Entrypoint: &ep}, func(s types.ServiceConfig) string {
			if len(s.Command) != 0 {
				return "command kept"
			}
			return ""
		}},
		{"env, labels, volumes, ports", RunOptions{Service: "web", Env: []string{"X=1", "FROM_HOST", "UNSET"}, Labels: []string{"b=2"},
			Volumes: []string{"./d:/d:ro"}, Publish: []string{"127.0.0.1:9000:90"}, ServicePorts: true}, func(s types.ServiceConfig) string {
			switch {
			case *s.Environment["X"] != "1" || *s.Environment["FROM_HOST"] != "h" || *s.Environment["FOO"] != "1":
				return "env"
			case s.Environment["UNSET"] != nil:
				return "unset variable kept"
			case s.Labels["a"] != "1" || s.Labels["b"] != "2":
				return "labels"
			case len(s.Volumes) != 1 || s.Volumes[0].Source != "/src/d" || !s.Volumes[0].ReadOnly:
				return "volumes"
			case len(s.Ports) != 2 || s.Ports[1].HostIP != "127.0.0.1" || s.Ports[1].Target != 90:
				return "ports"
			}
			return ""
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := runProject()
			s, err := RunService(p, tt.o, strings.Repeat("0123456789ab", 2))
			if err != nil {
				t.Fatal(err)
			}
			if msg := tt.want(s); msg != "" {
				t.Error(msg)
			}
			if orig := p.Services["web"]; len(orig.Ports) != 1 || orig.Labels["b"] != "" || len(orig.CustomLabels) != 0 {
				t.Error("the project's service was changed")
			}
		})
	}
}

func TestRunServiceBadInput(t *testing.T) {
	for _, o := range []RunOptions{
		{Service: "nosuch"},
		{Service: "web", Publish: []string{"notaport"}},
		{Service: "web", Labels: []string{"novalue"}},
	} {
		if _, err := RunService(runProject(), o, "x"); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}

func TestOneoffSpec(t *testing.T) {
	p := runProject()
	for _, useAliases := range []bool{false, true} {
		o := RunOptions{Service: "web", Interactive: true, Remove: true, UseAliases: useAliases}
		s, err := RunService(p, o, "0123456789abcdef")
		if err != nil {
			t.Fatal(err)
		}
		spec, err := ContainerSpec(p, s, 1, "", "h", Target{})
		if err != nil {
			t.Fatal(err)
		}
		OneoffSpec(&spec, s, o)
		if spec.Config.Labels[LabelOneoff] != "True" || spec.Config.Labels[LabelSlug] != "0123456789abcdef" || spec.Name != "demo-web-run-0123456789ab" {
			t.Errorf("labels/name: %v %s", spec.Config.Labels, spec.Name)
		}
		if !spec.Host.AutoRemove || !spec.Config.OpenStdin || !spec.Config.StdinOnce || spec.Host.RestartPolicy.Name != "no" && spec.Host.RestartPolicy.Name != "" {
			t.Errorf("host/stdin: %+v %+v", spec.Host.RestartPolicy, spec.Config)
		}
		aliases := spec.Network.EndpointsConfig["demo_default"].Aliases
		want := "demo-web-run-0123456789ab"
		if useAliases {
			want += " web www"
		}
		if strings.Join(aliases, " ") != want {
			t.Errorf("use-aliases %v: aliases %v, want %s", useAliases, aliases, want)
		}
	}
}
