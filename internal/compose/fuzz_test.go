package compose

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/dotenv"
)

// FuzzResolve: any names on the command line either resolve to a project
// that has every one of them, or fail with ErrUnknownPreset naming each
// unknown one; never a panic or another kind of error. Seeds in
// testdata/fuzz/FuzzResolve.
func FuzzResolve(f *testing.F) {
	f.Setenv("DEVSTACK_NO_CACHE", "1")
	dir := fuzzProject(f)
	f.Fuzz(func(t *testing.T, line string) {
		names := strings.Fields(line)
		if len(names) > 4 {
			names = names[:4] // each preset loads a file: keep an input fast
		}
		r, err := Resolve(context.Background(), Options{WorkingDir: dir}, names)
		if err != nil {
			if !errors.Is(err, ErrUnknownPreset) {
				t.Fatalf("Resolve(%q): an error other than ErrUnknownPreset: %v", names, err)
			}
			return
		}
		for _, n := range names {
			if _, ok := r.Selected.Services[n]; !ok {
				t.Fatalf("Resolve(%q) succeeded without service %q: %v", names, n, r.Selected.ServiceNames())
			}
		}
	})
}

// fuzzProject writes the compose file FuzzResolve resolves names against.
func fuzzProject(f *testing.F) string {
	return write(f, map[string]string{"compose.yaml": "services:\n  web: {image: web, depends_on: [db]}\n  db: {image: db}\n  redis: {image: mine}\n"})
}

// FuzzKnobs: the .env `devstack init` writes reads back (with the reader
// compose-go gives every .env) to exactly the defaults of the knobs in the
// fragment, whatever characters a default holds. Seeds in
// testdata/fuzz/FuzzKnobs.
func FuzzKnobs(f *testing.F) {
	f.Fuzz(func(t *testing.T, content string) {
		var env bytes.Buffer
		writeKnobs(&env, "preset/x/compose.yaml", []byte(content), map[string]bool{})
		got, err := dotenv.ParseWithLookup(bytes.NewReader(env.Bytes()), func(string) (string, bool) { return "", false })
		if err != nil {
			t.Fatalf("the written .env does not parse: %v\n%s", err, env.Bytes())
		}
		want := map[string]string{}
		seen := map[string]bool{}
		clean := uncommented([]byte(content))
		for _, m := range imageVar().FindAllSubmatch(clean, -1) {
			seen[string(m[1])] = true
		}
		for _, m := range knob().FindAllSubmatch(clean, -1) {
			if name := string(m[1]); !seen[name] && !strings.HasPrefix(name, "DEVSTACK_") {
				seen[name] = true
				want[name] = string(m[2])
			}
		}
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("knob %s: default %q reads back as %q from\n%s", k, v, got[k], env.Bytes())
			}
		}
		for k := range got {
			if _, ok := want[k]; !ok {
				t.Fatalf("the .env sets %s, which is no knob of the fragment:\n%s", k, env.Bytes())
			}
		}
	})
}

// FuzzRawEnv: env_file format raw never panics, and what it reads written
// back as KEY=VALUE lines reads the same again. Seeds in
// testdata/fuzz/FuzzRawEnv.
func FuzzRawEnv(f *testing.F) {
	f.Fuzz(func(t *testing.T, content string) {
		vars := map[string]string{}
		if err := parseRawEnv(strings.NewReader(content), "f.env", vars, func(string) (string, bool) { return "", false }); err != nil {
			return
		}
		var b strings.Builder
		for k, v := range vars {
			if strings.HasSuffix(v, "\r") {
				delete(vars, k) // a line's last \r is its end (CRLF), as docker's --env-file reads it
				continue
			}
			b.WriteString(k + "=" + v + "\n")
		}
		again := map[string]string{}
		if err := parseRawEnv(strings.NewReader(b.String()), "f.env", again, nil); err != nil {
			t.Fatalf("written back, it no longer reads: %v\n%s", err, b.String())
		}
		for k, v := range vars {
			if again[k] != v {
				t.Fatalf("%s: %q reads back as %q", k, v, again[k])
			}
		}
	})
}
