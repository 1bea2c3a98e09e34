// Package importcheck lets a pure package's test check its purity by its
// imports: a compiler-checked boundary rather than a comment.
package importcheck

import (
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// hostImports read host files, run programs or open connections.
var hostImports = map[string]bool{"os": true, "os/exec": true, "io/ioutil": true, "net/http": true, "syscall": true}

const own = "github.com/devstack/devstack/internal/"

// engineSide drive the engine: no pure package may depend on them, even
// indirectly.
var engineSide = []string{"github.com/docker/docker/client", own + "dockerapi", own + "apply", own + "containers", own + "logs"}

// Pure fails t if a non-test file of the package in the current directory
// imports a host package, or if the package depends (go list -deps) on the
// Docker client, a package that drives the engine, or one of the extra
// packages named (as "internal/NAME").
func Pure(t *testing.T, extra ...string) {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if path := strings.Trim(imp.Path.Value, `"`); hostImports[path] {
				t.Errorf("%s imports %s: a pure package does not touch the host", name, path)
			}
		}
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list -deps: %v", err)
	}
	forbidden := append([]string(nil), engineSide...)
	for _, e := range extra {
		forbidden = append(forbidden, own+strings.TrimPrefix(e, "internal/"))
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, bad := range forbidden {
			if dep == bad || strings.HasPrefix(dep, bad+"/") {
				t.Errorf("depends on %s", dep)
			}
		}
	}
}

// Only fails t if the package in the current directory depends (go list
// -deps) on one of our packages other than the allowed ones (as
// "internal/NAME"): the layering of the engine side, checked by the
// compiler's view of the imports.
func Only(t *testing.T, allowed ...string) {
	t.Helper()
	ok := map[string]bool{}
	for _, a := range allowed {
		ok[own+strings.TrimPrefix(a, "internal/")] = true
	}
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Skipf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	self := deps[len(deps)-1] // go list -deps lists the package itself last
	for _, dep := range deps {
		if strings.HasPrefix(dep, own) && dep != self && !ok[dep] {
			t.Errorf("depends on %s", dep)
		}
	}
}

// StdOnly fails t if the package in the current directory depends on
// anything outside the standard library: a leaf every package may import.
func StdOnly(t *testing.T) {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Skipf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	for _, dep := range deps[:len(deps)-1] {
		t.Errorf("depends on %s", dep)
	}
}
