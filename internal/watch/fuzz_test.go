package watch

import (
	"path/filepath"
	"strings"
	"testing"
)

// FuzzMatcher: any ignore, include and .dockerignore patterns either are
// refused by NewMatcher or give a matcher that never panics, ignores what
// lies outside the trigger's path and in .git, and never skips a
// directory (SkipDir) below which a file would not be ignored. Seeds in
// testdata/fuzz/FuzzMatcher.
func FuzzMatcher(f *testing.F) {
	f.Fuzz(func(t *testing.T, ignore, include, dockerignore, dir, file string) {
		m, err := NewMatcher("/p/web", lines(ignore), lines(include), "/p", lines(dockerignore))
		if err != nil {
			return
		}
		d := filepath.Join("/p/web", dir)
		p := filepath.Join(d, file)
		if !strings.HasPrefix(p+"/", "/p/web/") && !m.Ignored(p, false) {
			t.Fatalf("%s lies outside the trigger's path but is not ignored", p)
		}
		if strings.Contains("/"+p+"/", "/.git/") && !m.Ignored(p, false) {
			t.Fatalf("%s is in .git but not ignored", p)
		}
		if m.SkipDir(d) && !m.Ignored(p, false) && strings.HasPrefix(p, d+"/") {
			t.Fatalf("directory %s is skipped, but %s below it is not ignored", d, p)
		}
	})
}

// lines splits a fuzz input into patterns, one a line, as a compose list.
func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
