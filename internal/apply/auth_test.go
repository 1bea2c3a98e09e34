package apply

import (
	"errors"
	"testing"
)

func TestRegistryError(t *testing.T) {
	for _, tc := range []struct {
		ref, engine, want string
	}{
		{"127.0.0.1:5055/priv/bb:1", "unauthorized: authentication required", "unauthorized: run docker login 127.0.0.1:5055"},
		{"127.0.0.1:5055/priv/bb:1", `Head "http://127.0.0.1:5055/v2/priv/bb/manifests/1": no basic auth credentials`, "unauthorized: run docker login 127.0.0.1:5055"},
		{"me/app", "denied: requested access to the resource is denied", "unauthorized: run docker login"},
		{"ghcr.io/o/a", "manifest unknown", "manifest unknown"},
	} {
		err := registryError(tc.ref, errors.New(tc.engine))
		if err.Error() != tc.want {
			t.Errorf("registryError(%q, %q) = %q, want %q", tc.ref, tc.engine, err, tc.want)
		}
		if errors.Is(err, ErrUnauthorized) != (tc.want != tc.engine) {
			t.Errorf("registryError(%q, %q): errors.Is ErrUnauthorized = %v", tc.ref, tc.engine, errors.Is(err, ErrUnauthorized))
		}
	}
}
