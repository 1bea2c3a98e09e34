package logs

import (
	"testing"

	"github.com/devstack/devstack/internal/importcheck"
)

// logs follows events and logs through dockerapi, listing containers with
// containers; never apply.
func TestImports(t *testing.T) {
	importcheck.Only(t, "internal/dockerapi", "internal/progress", "internal/eventloop", "internal/containers", "internal/stack", "internal/composekeys", "internal/plan", "internal/convert", "internal/version")
}
