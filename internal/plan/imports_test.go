package plan

import (
	"testing"

	"github.com/devstack/devstack/internal/importcheck"
)

// TestPureImports keeps plan pure: observing the engine is the apply
// side's, and the preset lookup of the port rule is passed in.
func TestPureImports(t *testing.T) {
	importcheck.Pure(t, "internal/presets")
}
