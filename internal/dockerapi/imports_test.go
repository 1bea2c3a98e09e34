package dockerapi

import (
	"testing"

	"github.com/devstack/devstack/internal/importcheck"
)

// dockerapi adapts the Engine API: of ours, it may use progress only.
func TestImports(t *testing.T) {
	importcheck.Only(t, "internal/progress")
}
