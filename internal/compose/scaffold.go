package compose

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/compose-spec/compose-go/v2/override"
	"go.yaml.in/yaml/v4"

	"github.com/devstack/devstack/internal/presets"
)

// Scaffold is what `devstack init` writes.
type Scaffold struct {
	Compose []byte // compose.yaml: the presets' fragments merged, variables kept
	Env     []byte // .env: every knob the fragments read, with its default
}

// knob matches ${NAME:-default} with a default free of further variables.
// The regexps of this package compile on first use: most commands never
// use them, and every process would pay for them at start-up.
var knob = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\$\{([A-Z][A-Z0-9_]*):-([^${}]*)\}`) })

// imageVar matches ${NAME_IMAGE:- ...}, whose default nests the version knob.
var imageVar = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\$\{([A-Z][A-Z0-9_]*_IMAGE):-`) })

// NewScaffold merges the named presets (and their wiring) into one compose
// file and lists their knobs for .env. Pure.
func NewScaffold(names []string) (Scaffold, error) {
	var unknown []string
	for _, n := range names {
		if !slices.Contains(presets.Names(), n) {
			unknown = append(unknown, n)
		}
	}
	if len(unknown) > 0 {
		return Scaffold{}, unknownError(nil, unknown)
	}
	files, err := presetFiles(names)
	if err != nil {
		return Scaffold{}, err
	}
	merged := map[string]any{}
	var env bytes.Buffer
	env.WriteString("# Knobs of the presets in compose.yaml, with their defaults. Change and run `devstack up`.\n")
	seen := map[string]bool{}
	for _, f := range files {
		var m map[string]any
		if err := yaml.Unmarshal(f.Content, &m); err != nil {
			return Scaffold{}, fmt.Errorf("%s: %w", f.Filename, err)
		}
		if merged, err = override.Merge(merged, m); err != nil {
			return Scaffold{}, fmt.Errorf("%s: %w", f.Filename, err)
		}
		writeKnobs(&env, f.Filename, f.Content, seen)
	}
	var out bytes.Buffer
	out.WriteString("# Written by `devstack init " + strings.Join(names, " ") + "`; knobs live in .env.\n")
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(merged); err != nil {
		return Scaffold{}, err
	}
	return Scaffold{Compose: out.Bytes(), Env: env.Bytes()}, nil
}

// uncommented drops YAML comment lines, whose ${...} are prose, not knobs.
func uncommented(b []byte) []byte {
	var out [][]byte
	for _, l := range bytes.Split(b, []byte("\n")) {
		if !bytes.HasPrefix(bytes.TrimSpace(l), []byte("#")) {
			out = append(out, l)
		}
	}
	return bytes.Join(out, []byte("\n"))
}

func writeKnobs(env *bytes.Buffer, filename string, content []byte, seen map[string]bool) {
	header := false
	line := func(s string) {
		if !header {
			preset := strings.Split(strings.TrimPrefix(filename, "preset/"), "/")[0]
			fmt.Fprintf(env, "\n# %s\n", preset)
			header = true
		}
		env.WriteString(s + "\n")
	}
	content = uncommented(content)
	for _, m := range imageVar().FindAllSubmatch(content, -1) {
		if name := string(m[1]); !seen[name] {
			seen[name] = true
			line("# " + name + "=  (the whole image; overrides the version)")
		}
	}
	for _, m := range knob().FindAllSubmatch(content, -1) {
		name := string(m[1])
		if seen[name] || strings.HasPrefix(name, "DEVSTACK_") {
			continue
		}
		seen[name] = true
		line(name + "=" + envValue(string(m[2])))
	}
}

// envValue writes a knob's default so that a .env reader (compose-go's
// dotenv) reads back exactly it: as it is when plain, else double-quoted
// with backslash escapes (unquoted, a reader trims spaces, cuts at " #"
// and at the end of the line, and takes quotes as quoting).
func envValue(v string) string {
	if v == strings.TrimSpace(v) && !strings.ContainsAny(v, `\"'#`+"\n\r") {
		return v
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`)
	return `"` + r.Replace(v) + `"`
}
