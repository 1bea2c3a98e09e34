package cli

import (
	"os"
	"testing"
)

// TestMain keeps the local router off for this package's tests against
// the fake engine (the router is on by default, and would make a CA in
// the data directory); the router's own tests set DEVSTACK_ROUTER.
func TestMain(m *testing.M) {
	if _, set := os.LookupEnv("DEVSTACK_ROUTER"); !set {
		os.Setenv("DEVSTACK_ROUTER", "0")
	}
	os.Exit(m.Run())
}
