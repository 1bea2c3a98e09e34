package progress

import (
	"testing"

	"github.com/devstack/devstack/internal/importcheck"
)

// progress is the leaf every package may import: the standard library only.
func TestImports(t *testing.T) {
	importcheck.StdOnly(t)
}
