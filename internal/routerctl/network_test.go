package routerctl

import (
	"context"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	dtypes "github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/network"

	"github.com/devstack/devstack/internal/dockerapi"
)

// podmanEngine is the fake engine answering /version as Podman does.
type podmanEngine struct{ *dockerapi.FakeClient }

func (podmanEngine) ServerVersion(context.Context) (dtypes.Version, error) {
	return dtypes.Version{Components: []dtypes.ComponentVersion{{Name: "Podman Engine", Version: "4.3.1"}}}, nil
}

// The router's network of a project is internal on Docker; on Podman a
// plain bridge, unless the project has an internal network of its own.
func TestRouterNetworkInternal(t *testing.T) {
	open := types.Networks{"default": {Name: "shop_default"}}
	closed := types.Networks{"default": {Name: "shop_default"}, "back": {Name: "shop_back", Internal: true}}
	for _, c := range []struct {
		name   string
		podman bool
		nets   types.Networks
		want   bool
	}{
		{"docker", false, open, true},
		{"docker, internal network", false, closed, true},
		{"podman", true, open, false},
		{"podman, internal network", true, closed, true},
	} {
		fake := dockerapi.NewFakeClient()
		var api dockerapi.API = fake
		if c.podman {
			api = podmanEngine{fake}
		}
		p := &types.Project{Name: "shop", Networks: c.nets}
		if err := ensureNetwork(context.Background(), api, Router{}, p); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		list, err := fake.NetworkList(context.Background(), network.ListOptions{Filters: filters.NewArgs(filters.Arg("label", ProjectLabel+"=shop"))})
		if err != nil || len(list) != 1 || list[0].Name != NetworkName("shop") {
			t.Fatalf("%s: networks %+v, %v", c.name, list, err)
		}
		if list[0].Internal != c.want {
			t.Errorf("%s: internal = %v, want %v", c.name, list[0].Internal, c.want)
		}
	}
}
