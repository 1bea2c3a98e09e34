package apply

import (
	"testing"
)

func TestFamiliarRef(t *testing.T) {
	for ref, want := range map[string]string{
		"docker.io/devstack-test/busybox:1": "devstack-test/busybox:1", // Podman
		"docker.io/library/redis:7":         "redis:7",
		"devstack-test/busybox:1":           "devstack-test/busybox:1", // Docker
		"127.0.0.1:5000/app:1":              "127.0.0.1:5000/app:1",
		"sha256:4e1f7f5d0d5b3c1e4d5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d": "sha256:4e1f7f5d0d5b3c1e4d5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d",
	} {
		if got := familiarRef(ref); got != want {
			t.Errorf("familiarRef(%q) = %q, want %q", ref, got, want)
		}
	}
}
