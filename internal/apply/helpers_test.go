package apply

import (
	"context"
	"reflect"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/plan"
)

func svc(name string, mod ...func(*types.ServiceConfig)) types.ServiceConfig {
	s := types.ServiceConfig{Name: name, ContainerSpec: types.ContainerSpec{
		Image:    "img",
		Networks: map[string]*types.ServiceNetworkConfig{"default": nil},
	}}
	for _, m := range mod {
		m(&s)
	}
	return s
}

func project(services ...types.ServiceConfig) *types.Project {
	p := &types.Project{Name: "demo", Services: types.Services{},
		Networks: types.Networks{"default": {Name: "demo_default"}},
		Volumes:  types.Volumes{"data": {Name: "demo_data"}},
	}
	for _, s := range services {
		p.Services[s.Name] = s
	}
	return p
}

func running(s types.ServiceConfig, n int) plan.Container {
	return plan.Container{ID: s.Name + "id", Name: convert.ContainerName("demo", s, n), Service: s.Name, Number: n, State: "running", Hash: convert.ServiceHash(s), ImageID: "sha256:img"}
}

func eq[T any](t *testing.T, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v\nwant %#v", got, want)
	}
}

// load reads a compose file as devstack's loader does (compose-go,
// normalised, validated) for project "demo".
func load(t *testing.T, yaml string) *types.Project {
	t.Helper()
	p, err := loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  t.TempDir(),
		ConfigFiles: []types.ConfigFile{{Filename: "compose.yaml", Content: []byte(yaml)}},
		Environment: types.Mapping{},
	}, func(o *loader.Options) { o.SetProjectName("demo", true) })
	if err != nil {
		t.Fatal(err)
	}
	return p
}
