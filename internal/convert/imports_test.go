package convert

import (
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPureImports keeps convert pure by its imports: no package of its
// own may read host files or open connections (the apply side does that
// and passes the results in), and nothing it depends on, even indirectly,
// may be the Docker client or a package that drives the engine.
func TestPureImports(t *testing.T) {
	direct := map[string]bool{"os": true, "os/exec": true, "io/ioutil": true, "net/http": true, "syscall": true}
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
			if path := strings.Trim(imp.Path.Value, `"`); direct[path] {
				t.Errorf("%s imports %s: convert must not touch the host", name, path)
			}
		}
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list -deps: %v", err)
	}
	const own = "github.com/devstack/devstack/internal/"
	forbidden := []string{"github.com/docker/docker/client", own + "dockerapi", own + "engine", own + "apply", own + "containers", own + "logs"}
	for _, dep := range strings.Fields(string(out)) {
		for _, bad := range forbidden {
			if dep == bad || strings.HasPrefix(dep, bad+"/") {
				t.Errorf("convert depends on %s", dep)
			}
		}
	}
}
