package snapshot

import (
	"testing"

	"github.com/devstack/devstack/internal/importcheck"
)

// snapshot drives the engine through dockerapi and reuses apply's waits;
// cli calls it, never the reverse. bundle must not import snapshot: a
// save bundle's snapshots go through interfaces cli fills.
func TestImports(t *testing.T) {
	importcheck.Only(t, "internal/dockerapi", "internal/progress", "internal/containers", "internal/plan", "internal/convert",
		"internal/apply", "internal/logs", "internal/selfimage", "internal/snapshot/manifest", "internal/watch/inject",
		// what apply and logs bring along
		"internal/version", "internal/eventloop", "internal/stack", "internal/composekeys", "internal/presets", "internal/watch/receiver",
		// import reads an export through bundle's archive reader and its guards
		"internal/bundle", "internal/bundle/ldm", "internal/atomicfile", "internal/diskspace", "internal/termsafe")
}
