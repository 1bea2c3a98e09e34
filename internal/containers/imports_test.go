package containers

import (
	"testing"

	"github.com/devstack/devstack/internal/importcheck"
)

// containers acts on containers through dockerapi, on the types of plan
// and convert; never on apply or logs.
func TestImports(t *testing.T) {
	importcheck.Only(t, "internal/dockerapi", "internal/progress", "internal/plan", "internal/convert", "internal/version")
}
