package progress

import "testing"

// The lines e2e scripts and people read stay as they were before progress
// became typed.
func TestEventString(t *testing.T) {
	tests := []struct {
		e    Event
		want string
	}{
		{Event{Kind: KindContainer, Name: "p-web-1", Status: "Recreated"}, "Container p-web-1  Recreated"},
		{Event{Kind: KindContainer, Name: "p-app-1", Status: "Stopped", Detail: "dependency db updated"}, "Container p-app-1  Stopped (dependency db updated)"},
		{Event{Kind: KindImage, Name: "nginx:1", Status: "Pulled"}, "Image nginx:1  Pulled"},
		{Event{Kind: KindReload, Name: "web", Status: "sync", Detail: "1 file (a.txt) in 4ms"}, "watch: web sync 1 file (a.txt) in 4ms"},
		{Event{Kind: KindWatch, Detail: "nothing else to watch"}, "watch: nothing else to watch"},
		{Event{Kind: KindWarning, Detail: "service web: x ignored"}, "warning: service web: x ignored"},
		{Event{Kind: KindOutput, Name: "web", Detail: "done"}, "web | done"},
		{Event{Kind: KindBuild, Name: "img", Status: "Building", Detail: "Step 1/2 : FROM scratch"}, "Step 1/2 : FROM scratch"},
	}
	for _, tt := range tests {
		if got := tt.e.String(); got != tt.want {
			t.Errorf("%+v: got %q, want %q", tt.e, got, tt.want)
		}
	}
}
