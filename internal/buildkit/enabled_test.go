package buildkit

import (
	"context"
	"testing"

	"github.com/docker/docker/api/types"

	"github.com/devstack/devstack/internal/dockerapi"
)

// versionAPI answers the two calls Enabled makes.
type versionAPI struct {
	dockerapi.API
	v   types.Version
	api string
}

func (a versionAPI) ServerVersion(context.Context) (types.Version, error) { return a.v, nil }
func (a versionAPI) ClientVersion() string                                { return a.api }

func TestEnabled(t *testing.T) {
	docker := versionAPI{v: types.Version{Os: "linux", Components: []types.ComponentVersion{{Name: "Engine"}}}, api: "1.41"}
	podman := versionAPI{v: types.Version{Os: "linux", Components: []types.ComponentVersion{{Name: "Podman Engine"}}}, api: "1.41"}
	old := versionAPI{v: types.Version{Os: "linux"}, api: "1.38"}
	windows := versionAPI{v: types.Version{Os: "windows"}, api: "1.41"}
	installed, missing := Builder{Helper: "/bin/true"}, Builder{Helper: ""}
	t.Setenv("PATH", t.TempDir()) // no devstack-buildkit on PATH
	for _, tc := range []struct {
		env  string
		api  versionAPI
		want bool
		err  bool
		b    Builder
	}{
		{"", docker, true, false, installed},
		{"", docker, false, false, missing},
		{"", podman, false, false, installed},
		{"", old, false, false, installed},
		{"", windows, false, false, installed},
		{"0", docker, false, false, installed},
		{"false", docker, false, false, installed},
		{"1", podman, true, false, installed},
		{"1", docker, true, false, missing}, // Build then says the helper is missing
		{"yes please", docker, false, true, installed},
	} {
		t.Setenv("DOCKER_BUILDKIT", tc.env)
		got, err := tc.b.Enabled(context.Background(), tc.api)
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("DOCKER_BUILDKIT=%q %+v: got %v, %v; want %v (error %v)", tc.env, tc.api.v, got, err, tc.want, tc.err)
		}
	}
}
