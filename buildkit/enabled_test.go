package buildkit

import (
	"context"
	"testing"

	"github.com/docker/docker/api/types"

	"github.com/devstack/devstack/engine"
)

// versionAPI answers the two calls Enabled makes.
type versionAPI struct {
	engine.API
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
	for _, tc := range []struct {
		env  string
		api  versionAPI
		want bool
		err  bool
	}{
		{"", docker, true, false},
		{"", podman, false, false},
		{"", old, false, false},
		{"", windows, false, false},
		{"0", docker, false, false},
		{"false", docker, false, false},
		{"1", podman, true, false},
		{"yes please", docker, false, true},
	} {
		t.Setenv("DOCKER_BUILDKIT", tc.env)
		got, err := Builder{}.Enabled(context.Background(), tc.api)
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("DOCKER_BUILDKIT=%q %+v: got %v, %v; want %v (error %v)", tc.env, tc.api.v, got, err, tc.want, tc.err)
		}
	}
}
