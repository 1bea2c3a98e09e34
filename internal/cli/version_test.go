package cli

import (
	"strings"
	"testing"

	"github.com/devstack/devstack/internal/dockerapi"
)

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

func TestEngineLine(t *testing.T) {
	for _, tc := range []struct {
		server, want string
	}{
		{"Docker/20.10.24+dfsg1 (linux)", "Engine: Docker 20.10.24+dfsg1 (linux, API 1.41, client negotiated 1.41)"},
		{"Libpod/4.3.1 (linux)", "Engine: Podman 4.3.1 (linux, API 1.41, client negotiated 1.41)"},
		{"Docker/28.0.1", "Engine: Docker 28.0.1 (API 1.41, client negotiated 1.41)"},
	} {
		id := dockerapi.Identity{APIVersion: "1.41", ClientVersion: "1.41"}
		id.Product, id.Version, id.OS = dockerapi.ParseServerHeader(tc.server)
		if got := engineLine(id); got != tc.want {
			t.Errorf("engineLine(%q) = %q, want %q", tc.server, got, tc.want)
		}
	}
	for _, h := range []string{"", "nginx", "/1.0", "Docker/"} {
		if p, _, _ := dockerapi.ParseServerHeader(h); p != "" {
			t.Errorf("ParseServerHeader(%q) = product %q, want none", h, p)
		}
	}
}

func TestReceiversLine(t *testing.T) {
	if got := receiversLine([]string{"linux/amd64", "linux/arm64"}); got != "Watch receivers: linux/amd64, linux/arm64" {
		t.Errorf("receiversLine = %q", got)
	}
	if got := receiversLine(nil); !strings.Contains(got, "none built in (make build embeds them") {
		t.Errorf("receiversLine(nil) = %q", got)
	}
}
