package cli

import "testing"

func TestVersionLine(t *testing.T) {
	for _, tc := range []struct{ v, c, d, want string }{
		{"0.1.0", "", "", "devstack version 0.1.0"},
		{"1.2.3", "abc123", "2026-11-29T11:00:00Z", "devstack version 1.2.3, commit abc123, built 2026-11-29T11:00:00Z"},
	} {
		if got := versionLine(tc.v, tc.c, tc.d); got != tc.want {
			t.Errorf("versionLine = %q, want %q", got, tc.want)
		}
	}
}
