//go:build linux

package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The helper stays small: the standard library, klauspost/compress and
// the manifest format only.
func TestImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Skipf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	for _, dep := range deps[:len(deps)-1] {
		if !strings.HasPrefix(dep, "github.com/klauspost/compress") && dep != "github.com/devstack/devstack/internal/snapshot/manifest" {
			t.Errorf("depends on %s", dep)
		}
	}
}
