package cli

import (
	"strings"
	"testing"

	"github.com/devstack/devstack/internal/bundle"
)

func TestStartArgs(t *testing.T) {
	for _, tc := range []struct {
		m    bundle.Manifest
		want string
	}{
		{bundle.Manifest{Project: "shop", ComposeFiles: []string{"compose.yaml"}}, "-p shop up -d --pull never"},
		{bundle.Manifest{Project: "shop", Selected: []string{"nginx", "mysql"}, Presets: []string{"nginx", "mysql"}}, "-p shop up -d --pull never nginx mysql"},
		{bundle.Manifest{Project: "shop", ComposeFiles: []string{"compose.yaml", "compose.prod.yaml"}, EnvFiles: []string{"env/.env.prod"}}, "-p shop -f compose.yaml -f compose.prod.yaml --env-file env/.env.prod up -d --pull never"},
		{bundle.Manifest{Project: "shop", ComposeFiles: []string{"deploy/stack.yml"}}, "-p shop -f deploy/stack.yml up -d --pull never"},
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

func TestTransferLine(t *testing.T) {
	bar := startTransfer(nil, "Loading", 200, 0, "(unpacking)")
	defer bar.Done()
	bar.Write(make([]byte, 50))
	if got := bar.line(); got != "Loading  [======                  ]  50B/200B" {
		t.Errorf("at 50/200: %q", got)
	}
	bar.Write(make([]byte, 150))
	if got := bar.line(); !strings.HasSuffix(got, "200B/200B  (unpacking)") {
		t.Errorf("at 200/200: %q", got)
	}
	save := startTransfer(nil, "Saving", 0, 3, "")
	defer save.Done()
	save.ImageDone()
	save.Write(make([]byte, 1500))
	if got := save.line(); got != "Saving  1.5kB  images 1/3" {
		t.Errorf("saving: %q", got)
	}
}
