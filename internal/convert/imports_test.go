package convert

import (
	"testing"

	"github.com/devstack/devstack/internal/importcheck"
)

// TestPureImports keeps convert pure: the apply side reads the host and
// passes the results in (Target.ReadFile, the mount and port checks).
func TestPureImports(t *testing.T) {
	importcheck.Pure(t)
}
