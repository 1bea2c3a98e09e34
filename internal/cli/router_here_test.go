package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/docker/docker/api/types"

	"github.com/devstack/devstack/internal/dockerapi"
)

// podmanEngine is the fake engine answering /version as Podman does.
type podmanEngine struct{ *dockerapi.FakeClient }

func (podmanEngine) ServerVersion(context.Context) (types.Version, error) {
	return types.Version{Components: []types.ComponentVersion{{Name: "Podman Engine", Version: "4.3.1"}}}, nil
}

// remoteEngine is the fake engine reached over tcp://.
type remoteEngine struct{ *dockerapi.FakeClient }

func (remoteEngine) DaemonHost() string { return "tcp://10.0.0.5:2375" }

// The router runs on a local engine, Docker's or Podman's; on a remote one
// it is off, with the reason up prints.
func TestRouterOffHere(t *testing.T) {
	for _, c := range []struct {
		name string
		api  dockerapi.API
		want string
	}{
		{"local docker", dockerapi.NewFakeClient(), ""},
		{"remote", remoteEngine{dockerapi.NewFakeClient()}, "for the remote engine at tcp://10.0.0.5:2375 "},
		{"podman", podmanEngine{dockerapi.NewFakeClient()}, ""},
	} {
		got := routerOffHere(c.api)
		if (c.want == "") != (got == "") || !strings.HasPrefix(got, c.want) {
			t.Errorf("%s: routerOffHere = %q, want %q...", c.name, got, c.want)
		}
	}
}
