package presets

import (
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

// x-devstack: {domains: [...]} on a user's service is for the router: it
// does not make the service a preset's (whose host ports devstack moves).
func TestDomainsDoNotMakeAPreset(t *testing.T) {
	user := types.Extensions{Extension: map[string]any{"domains": []any{"shop.localhost", "admin.localhost:9000"}}}
	if IsPreset(user) {
		t.Error("a service with x-devstack.domains only counts as a preset's")
	}
	preset := types.Extensions{Extension: map[string]any{"description": "x", "domains": []any{"a.localhost"}}}
	if !IsPreset(preset) {
		t.Error("a preset with domains no longer counts as one")
	}
	d, err := DomainsOf(user)
	if err != nil || len(d) != 2 || d[1] != "admin.localhost:9000" {
		t.Errorf("DomainsOf = %v, %v", d, err)
	}
	if d, err := DomainsOf(nil); d != nil || err != nil {
		t.Errorf("DomainsOf(nil) = %v, %v", d, err)
	}
}
