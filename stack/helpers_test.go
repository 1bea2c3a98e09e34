package stack

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/devstack/devstack/compose"
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

// convert loads and converts, failing the test on an error.
func convert(t *testing.T, yaml string, files ...string) (*Stack, []Warning) {
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
