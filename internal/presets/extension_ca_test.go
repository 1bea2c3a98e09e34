package presets

import (
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

// x-devstack: {ca: false} is for the router too: not a preset's mark.
func TestCAOf(t *testing.T) {
	tests := []struct {
		name    string
		ext     types.Extensions
		want    bool
		wantErr bool
	}{
		{"no extension", nil, true, false},
		{"ca: false", types.Extensions{Extension: map[string]any{"ca": false}}, false, false},
		{"ca: true beside domains", types.Extensions{Extension: map[string]any{"ca": true, "domains": []any{"a.localhost"}}}, true, false},
		{"a preset without ca", types.Extensions{Extension: map[string]any{"description": "x"}}, true, false},
		{"not a bool", types.Extensions{Extension: map[string]any{"ca": "sometimes"}}, false, true},
	}
	for _, tt := range tests {
		got, err := CAOf(tt.ext)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("%s: CAOf = %v, %v; want %v, error %v", tt.name, got, err, tt.want, tt.wantErr)
		}
	}
	if IsPreset(types.Extensions{Extension: map[string]any{"ca": false}}) {
		t.Error("a service with x-devstack.ca only counts as a preset's")
	}
}
