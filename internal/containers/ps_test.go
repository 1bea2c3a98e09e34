package containers

import "testing"

func TestHealthFromStatus(t *testing.T) {
	for status, want := range map[string]string{
		"Up 2 seconds (healthy)": "healthy", "Up 1 second (health: starting)": "starting",
		"Up 5 minutes (unhealthy)": "unhealthy", "Exited (0) 3 seconds ago": "",
	} {
		if got := healthFromStatus(status); got != want {
			t.Errorf("%q: got %q want %q", status, got, want)
		}
	}
}

func TestRestartingExit(t *testing.T) {
	for _, tc := range []struct {
		state, status string
		want          int // -1: none
	}{
		{"restarting", "Restarting (3) 2 seconds ago", 3},
		{"restarting", "Restarting (137) Less than a second ago", 137},
		{"running", "Up 2 seconds", -1},
		{"restarting", "Restarting", -1},
	} {
		got := restartingExit(tc.state, tc.status)
		if (got == nil) != (tc.want == -1) || (got != nil && *got != tc.want) {
			t.Errorf("%q: got %v, want %d", tc.status, got, tc.want)
		}
	}
}
