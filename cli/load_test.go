package cli

import (
	"strings"
	"testing"

	"github.com/devstack/devstack/bundle"
)

func TestStartArgs(t *testing.T) {
	for _, tc := range []struct {
		m    bundle.Manifest
		want string
	}{
		{bundle.Manifest{Project: "shop", ComposeFiles: []string{"compose.yaml"}}, "-p shop up -d"},
		{bundle.Manifest{Project: "shop", Selected: []string{"nginx", "mysql"}, Presets: []string{"nginx", "mysql"}}, "-p shop up -d nginx mysql"},
		{bundle.Manifest{Project: "shop", ComposeFiles: []string{"compose.yaml", "compose.prod.yaml"}, EnvFiles: []string{"env/.env.prod"}}, "-p shop -f compose.yaml -f compose.prod.yaml --env-file env/.env.prod up -d"},
		{bundle.Manifest{Project: "shop", ComposeFiles: []string{"deploy/stack.yml"}}, "-p shop -f deploy/stack.yml up -d"},
	} {
		if got := strings.Join(startArgs(tc.m), " "); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{"/tmp/shop": "/tmp/shop", "my dir": "'my dir'", "it's": `'it'\''s'`, "": "''"} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
