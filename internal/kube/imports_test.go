package kube

import (
	"os/exec"
	"strings"
	"testing"
)

// devstack's own binary must not link Kubernetes: its packages (the main
// package and everything it imports) depend on no k8s.io or
// sigs.k8s.io package; only the devstack-kube helper does.
func TestMainBinaryLinksNoKubernetes(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/devstack/devstack").Output()
	if err != nil {
		t.Skipf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 50 {
		t.Fatalf("go list -deps listed %d packages: not the main binary's", len(deps))
	}
	for _, dep := range deps {
		if strings.HasPrefix(dep, "k8s.io/") || strings.HasPrefix(dep, "sigs.k8s.io/") ||
			strings.HasPrefix(dep, "github.com/devstack/devstack/internal/kube/mapping") ||
			strings.HasPrefix(dep, "github.com/devstack/devstack/internal/kube/worker") {
			t.Errorf("devstack links %s: keep Kubernetes in the devstack-kube helper", dep)
		}
	}
}
