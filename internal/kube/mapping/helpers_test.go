package mapping

import (
	"strings"
	"testing"

	"github.com/devstack/devstack/internal/composetest"
	"github.com/devstack/devstack/internal/kube/wire"
)

// mapped maps a compose file of project demo and returns the manifests
// as one YAML stream and the report as lines.
func mapped(t *testing.T, compose string, files map[string][]byte, o wire.MapOptions) (string, []string) {
	t.Helper()
	return mappedIn(t, compose, Input{Files: files}, o)
}

// mappedIn is mapped with the rest of the Input given.
func mappedIn(t *testing.T, compose string, in Input, o wire.MapOptions) (string, []string) {
	t.Helper()
	in.Project = composetest.Load(t, compose)
	r, err := Map(in, o)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := Manifests(r.Objects)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, m := range ms {
		b.WriteString("---\n# " + m.File + "\n" + m.YAML)
	}
	var notes []string
	for _, n := range r.Report {
		notes = append(notes, n.String())
	}
	return b.String(), notes
}
