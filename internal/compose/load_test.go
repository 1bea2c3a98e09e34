package compose

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// write creates files (name -> content) in a new temp dir and returns it.
func write(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoad(t *testing.T) {
	dir := write(t, map[string]string{
		"compose.yaml": `name: shop
include: [extra.yaml]
services:
  web:
    extends: {file: base.yaml, service: base}
    image: ${WEB_IMAGE}
    env_file: web.env
    depends_on: [db]
  db:
    image: db
  debug:
    image: dbg
    profiles: [debug]
`,
		"base.yaml":  "services:\n  base:\n    environment: {FROM_BASE: yes}\n",
		"extra.yaml": "services:\n  cache:\n    image: cache\n",
		"web.env":    "FROM_FILE=1\n",
		".env":       "WEB_IMAGE=web:1\n",
	})
	p, err := Load(context.Background(), Options{WorkingDir: dir, Files: []string{filepath.Join(dir, "compose.yaml")}})
	if err != nil {
		t.Fatal(err)
	}
	names := p.ServiceNames()
	slices.Sort(names)
	if strings.Join(names, ",") != "cache,db,web" {
		t.Errorf("services %v, want cache,db,web (debug only with its profile)", names)
	}
	web := p.Services["web"]
	if web.Image != "web:1" || *web.Environment["FROM_FILE"] != "1" || *web.Environment["FROM_BASE"] != "yes" {
		t.Errorf("web: image %q env %v", web.Image, web.Environment)
	}
	sel, err := Select(p, []string{"web"})
	if err != nil {
		t.Fatal(err)
	}
	names = sel.ServiceNames()
	slices.Sort(names)
	if strings.Join(names, ",") != "db,web" {
		t.Errorf("selected %v, want db,web", names)
	}
	withProfile, err := Load(context.Background(), Options{WorkingDir: dir, Profiles: []string{"debug"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := withProfile.Services["debug"]; !ok {
		t.Error("--profile debug did not enable debug")
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		is      error
		mention []string
	}{
		{"invalid yaml names file and line", map[string]string{"compose.yaml": "services:\n  web:\n    image: x\n   command: [a\n"},
			ErrInvalid, []string{"compose.yaml", "line 3"}},
		{"cycle is named", map[string]string{"compose.yaml": "services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, depends_on: [a]}\n"},
			ErrCycle, []string{"a -> b -> a"}},
		{"missing env_file is named", map[string]string{"compose.yaml": "services:\n  a: {image: x, env_file: nope.env}\n"},
			ErrInvalid, []string{"nope.env"}},
		{"missing required variable is named", map[string]string{"compose.yaml": "services:\n  a: {image: \"${NEED:?set NEED}\"}\n"},
			ErrInvalid, []string{"NEED", "set NEED"}},
		{"no compose file", map[string]string{"README": "x"}, ErrNoConfig, []string{"-f FILE"}},
		{"a bool in healthcheck.test is named, not a panic", map[string]string{"compose.yaml": "services:\n  web:\n    image: x\n    healthcheck: {test: [CMD, true]}\n"},
			ErrInvalid, []string{"compose.yaml", "services.web.healthcheck.test.1 must be a string"}},
		{"volumes_from of an unknown service names service and key", map[string]string{"compose.yaml": "services:\n  db: {image: x}\n  web: {image: x, volumes_from: [\"nosuch:ro\"]}\n"},
			ErrUnknownService, []string{"service web: volumes_from \"nosuch:ro\": no service nosuch"}},
		{"network_mode service: of an unknown service names service and key", map[string]string{"compose.yaml": "services:\n  web: {image: x, network_mode: \"service:gone\"}\n"},
			ErrUnknownService, []string{"service web: network_mode \"service:gone\": no service gone"}},
		{"links to an unknown service names service and key", map[string]string{"compose.yaml": "services:\n  web: {image: x, links: [\"gone:alias\"]}\n"},
			ErrUnknownService, []string{"service web: links \"gone:alias\": no service gone"}},
		{"ipc service: of an unknown service names service and key", map[string]string{"compose.yaml": "services:\n  web: {image: x, ipc: \"service:gone\"}\n"},
			ErrUnknownService, []string{"service web: ipc \"service:gone\""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := write(t, tt.files)
			_, err := Load(context.Background(), Options{WorkingDir: dir})
			if !errors.Is(err, tt.is) {
				t.Fatalf("got %v, want %v", err, tt.is)
			}
			for _, m := range tt.mention {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not mention %q", err, m)
				}
			}
		})
	}
}

func TestSelectUnknownListsKnown(t *testing.T) {
	dir := write(t, map[string]string{"compose.yaml": "services:\n  web: {image: x}\n  db: {image: y}\n"})
	p, err := Load(context.Background(), Options{WorkingDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Select(p, []string{"wbe"})
	if !errors.Is(err, ErrUnknownService) || !strings.Contains(err.Error(), "wbe (the project has: db, web)") {
		t.Fatalf("got %v", err)
	}
}
