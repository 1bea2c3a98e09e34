package compose

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

// TestMain keeps the validation cache of every test in this package out of
// the user's cache directory.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "devstack-compose-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CACHE_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func cacheEntries(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir(validatedDir())
	if errors.Is(err, os.ErrNotExist) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// A remembered validation is only reused for the same model: a changed
// file, a changed variable the file uses, a removed env_file are all
// caught on the next load, and the second load of an unchanged project is
// the same project.
func TestValidationCache(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("DEVSTACK_TEST_PULL", "missing")
	dir := write(t, map[string]string{
		"compose.yaml": "services:\n  web:\n    image: x\n    pull_policy: ${DEVSTACK_TEST_PULL}\n    env_file: web.env\n",
		"web.env":      "A=1\n",
	})
	load := func() (string, error) {
		p, err := Load(context.Background(), Options{WorkingDir: dir})
		if err != nil {
			return "", err
		}
		y, err := p.MarshalYAML()
		return string(y), err
	}
	first, err := load()
	if err != nil {
		t.Fatal(err)
	}
	if n := cacheEntries(t); n != 1 {
		t.Fatalf("%d cache entries after a first load, want 1", n)
	}
	second, err := load()
	if err != nil {
		t.Fatal(err)
	}
	if first != second {
		t.Errorf("a cached load differs:\n%s\nvs\n%s", first, second)
	}
	if n := cacheEntries(t); n != 1 {
		t.Errorf("%d cache entries after an unchanged load, want 1", n)
	}

	// Only the schema knows pull_policy's values.
	t.Setenv("DEVSTACK_TEST_PULL", "sometimes")
	if _, err := load(); !errors.Is(err, ErrInvalid) {
		t.Errorf("a variable changed to an invalid pull_policy: got %v", err)
	}
	t.Setenv("DEVSTACK_TEST_PULL", "missing")
	os.Remove(filepath.Join(dir, "web.env"))
	if _, err := load(); err == nil || !strings.Contains(err.Error(), "web.env") {
		t.Errorf("env_file removed after a cached load: got %v", err)
	}
	os.WriteFile(filepath.Join(dir, "web.env"), []byte("A=1\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte("services:\n  web:\n    image: x\n    imagee: y\n"), 0o644)
	if _, err := load(); !errors.Is(err, ErrInvalid) {
		t.Errorf("file changed to have an unknown key: got %v", err)
	}
}

func TestValidationKey(t *testing.T) {
	env := map[string]string{"USED": "1", "UNUSED": "2"}
	file := func(content string) []types.ConfigFile {
		return []types.ConfigFile{{Filename: "/p/compose.yaml", Content: []byte(content)}}
	}
	base, ok := validationKey(file("services:\n  a: {image: \"${USED}\"}\n"), env, "/p", nil)
	if !ok {
		t.Fatal("a plain file is not cacheable")
	}
	tests := []struct {
		name      string
		content   string
		env       map[string]string
		wd        string
		cacheable bool
		same      bool
	}{
		{"unused variable changed", "services:\n  a: {image: \"${USED}\"}\n", map[string]string{"USED": "1", "UNUSED": "3"}, "/p", true, true},
		{"used variable changed", "services:\n  a: {image: \"${USED}\"}\n", map[string]string{"USED": "9"}, "/p", true, false},
		{"other directory", "services:\n  a: {image: \"${USED}\"}\n", env, "/q", true, false},
		{"content changed", "services:\n  a: {image: \"${USED}x\"}\n", env, "/p", true, false},
		{"include", "include: [other.yaml]\nservices: {}\n", env, "/p", false, false},
		{"extends in flow style", "services:\n  a: {extends: {file: b.yaml, service: b}}\n", env, "/p", false, false},
		{"extends block", "services:\n  a:\n    extends:\n      service: b\n", env, "/p", false, false},
		{"obsolete version", "version: '3'\nservices: {}\n", env, "/p", false, false},
		{"the word include in a value", "services:\n  a: {image: x, command: include fastcgi_params}\n", env, "/p", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, ok := validationKey(file(tt.content), tt.env, tt.wd, nil)
			if ok != tt.cacheable {
				t.Fatalf("cacheable %v, want %v", ok, tt.cacheable)
			}
			if ok && (key == base) != tt.same {
				t.Errorf("same key %v, want %v", key == base, tt.same)
			}
		})
	}
}
