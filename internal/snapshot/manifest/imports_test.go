package manifest

import (
	"testing"

	"github.com/devstack/devstack/internal/importcheck"
)

// The helper program imports manifest: standard library only.
func TestImports(t *testing.T) { importcheck.StdOnly(t) }
