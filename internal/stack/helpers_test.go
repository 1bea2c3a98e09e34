package stack

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/devstack/devstack/internal/compose"
)

// load writes compose.yaml (and any other files) into a temp dir and loads
// it through the project's loader, as `devstack deploy` does.
func load(t *testing.T, yaml string, files ...string) *types.Project {
	t.Helper()
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("compose.yaml", yaml)
	for i := 0; i+1 < len(files); i += 2 {
		write(files[i], files[i+1])
	}
	p, err := compose.Load(context.Background(), compose.Options{WorkingDir: dir, ProjectName: "shop", Files: []string{filepath.Join(dir, "compose.yaml")}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// mustConvert loads and converts, failing the test on an error.
func mustConvert(t *testing.T, yaml string, files ...string) (*Stack, []Warning) {
	t.Helper()
	st, warns, err := Convert(load(t, yaml, files...), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return st, warns
}

// service is the converted service of that compose name.
func service(t *testing.T, st *Stack, name string) Service {
	t.Helper()
	for _, s := range st.Services {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no service %s in %+v", name, st.Services)
	return Service{}
}

// webYAML is a compose file with one service web (image web:1) whose
// other keys are body (indented by the helper), followed by top-level keys.
func webYAML(body, top string) string {
	var b strings.Builder
	b.WriteString("services:\n  web:\n    image: web:1\n")
	for _, line := range strings.Split(strings.TrimSpace(body), "\n") {
		if line != "" {
			b.WriteString("    " + line + "\n")
		}
	}
	b.WriteString(top)
	return b.String()
}

// web converts webYAML and returns the service.
func web(t *testing.T, body, top string, files ...string) Service {
	t.Helper()
	st, _ := mustConvert(t, webYAML(body, top), files...)
	return service(t, st, "web")
}

// check compares got and want with reflect.DeepEqual.
func check(t *testing.T, name string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %#v\n want %#v", name, got, want)
	}
}

func ptr[T any](v T) *T { return &v }
