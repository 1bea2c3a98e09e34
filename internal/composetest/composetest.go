// Package composetest builds compose projects for unit tests of the
// packages on the data path (convert, plan, apply): one service or project
// literal, or a compose file loaded as devstack's loader loads it. Only
// tests import it.
package composetest

import (
	"context"
	"reflect"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

// Service is a service named name with image "img" on the default
// network, changed by each mod in turn.
func Service(name string, mod ...func(*types.ServiceConfig)) types.ServiceConfig {
	s := types.ServiceConfig{Name: name, ContainerSpec: types.ContainerSpec{
		Image:    "img",
		Networks: map[string]*types.ServiceNetworkConfig{"default": nil},
	}}
	for _, m := range mod {
		m(&s)
	}
	return s
}

// Project is project "demo" with the services, its default network and
// a named volume "data".
func Project(services ...types.ServiceConfig) *types.Project {
	p := &types.Project{Name: "demo", Services: types.Services{},
		Networks: types.Networks{"default": {Name: "demo_default"}},
		Volumes:  types.Volumes{"data": {Name: "demo_data"}},
	}
	for _, s := range services {
		p.Services[s.Name] = s
	}
	return p
}

// Equal reports got and want when they differ (reflect.DeepEqual).
func Equal[T any](t testing.TB, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v\nwant %#v", got, want)
	}
}

// Load reads a compose file as devstack's loader does (compose-go,
// normalised, validated) for project "demo".
func Load(t testing.TB, yaml string) *types.Project {
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
