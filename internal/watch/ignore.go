package watch

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/moby/patternmatcher"

	"github.com/devstack/devstack/internal/watch/receiver"
)

// Matcher decides which paths under one trigger's path count as changes.
// Paths are host paths; patterns are relative to the directory they were
// written for (the trigger's path, the build context for .dockerignore).
type Matcher struct {
	root         string // the trigger's path
	ignore       *patternmatcher.PatternMatcher
	contextDir   string
	dockerignore *patternmatcher.PatternMatcher
	include      []string
}

// NewMatcher builds the matcher of a trigger rooted at root. dockerignore
// holds the patterns of the build context's .dockerignore (contextDir),
// empty when the service does not build.
func NewMatcher(root string, ignore, include []string, contextDir string, dockerignore []string) (*Matcher, error) {
	m := &Matcher{root: filepath.Clean(root), contextDir: contextDir, include: include}
	var err error
	if len(ignore) > 0 {
		if m.ignore, err = patternmatcher.New(ignore); err != nil {
			return nil, fmt.Errorf("ignore: %w", err)
		}
	}
	if len(dockerignore) > 0 {
		if m.dockerignore, err = patternmatcher.New(dockerignore); err != nil {
			return nil, fmt.Errorf(".dockerignore of %s: %w", contextDir, err)
		}
	}
	for _, p := range include {
		if _, err := filepath.Match(p, "x"); err != nil {
			return nil, fmt.Errorf("include %q: %w", p, err)
		}
	}
	return m, nil
}

// Ignored reports whether a change to path (a directory when dir is set)
// is not the trigger's business: outside its path, .git, an editor's
// temporary file, or excluded by its ignore or the .dockerignore. Include
// patterns only filter files: a directory may hold included files.
func (m *Matcher) Ignored(path string, dir bool) bool {
	rel, ok := within(m.root, path)
	if !ok {
		return true
	}
	if alwaysIgnoredEntry(path, dir) {
		return true
	}
	if rel != "." && m.ignore != nil {
		if hit, _ := m.ignore.MatchesOrParentMatches(rel); hit {
			return true
		}
	}
	if m.dockerignore != nil {
		if crel, ok := within(m.contextDir, path); ok && crel != "." {
			if hit, _ := m.dockerignore.MatchesOrParentMatches(crel); hit {
				return true
			}
		}
	}
	if dir || len(m.include) == 0 {
		return false
	}
	return !included(m.include, rel)
}

// SkipDir reports whether the directory and everything below it can go
// unwatched: it is ignored and no exclusion ("!pattern") could bring a
// file under it back.
func (m *Matcher) SkipDir(path string) bool {
	if !m.Ignored(path, true) {
		return false
	}
	if _, ok := within(m.root, path); !ok || alwaysIgnoredEntry(path, true) {
		return true
	}
	return (m.ignore == nil || !m.ignore.Exclusions()) && (m.dockerignore == nil || !m.dockerignore.Exclusions())
}

// included: a pattern with a slash matches the path relative to the
// trigger's path; one without matches the file's name at any depth.
func included(patterns []string, rel string) bool {
	rel = filepath.ToSlash(rel)
	for _, p := range patterns {
		p = strings.TrimPrefix(filepath.ToSlash(p), "./")
		target := rel
		if !strings.Contains(p, "/") {
			target = rel[strings.LastIndex(rel, "/")+1:]
		}
		if ok, _ := filepath.Match(p, target); ok {
			return true
		}
		if strings.HasSuffix(p, "/**") && (rel == strings.TrimSuffix(p, "/**") || strings.HasPrefix(rel, strings.TrimSuffix(p, "**"))) {
			return true
		}
	}
	return false
}

// AlwaysIgnored is true for anything inside .git and for editors'
// temporary and backup files, whatever the trigger says.
func AlwaysIgnored(path string) bool {
	return inGit(path) || EditorTemp(filepath.Base(path))
}

// alwaysIgnoredEntry is AlwaysIgnored for a path known to be a directory
// or not. Editors write temporary files, not directories: a directory
// named like one (backup~, 4913) is watched with what is below it, since
// the files below it are not ignored either.
func alwaysIgnoredEntry(path string, dir bool) bool {
	if dir {
		return inGit(path)
	}
	return AlwaysIgnored(path)
}

// alwaysIgnoredNow is alwaysIgnoredEntry for a path whose kind is not
// known: it looks only when the name alone would ignore it.
func alwaysIgnoredNow(path string) bool {
	if !AlwaysIgnored(path) {
		return false
	}
	fi, err := os.Lstat(path)
	return !(err == nil && fi.IsDir()) || inGit(path)
}

func inGit(path string) bool {
	for _, part := range strings.Split(filepath.ToSlash(path), "/") {
		if part == ".git" {
			return true
		}
	}
	return false
}

// EditorTemp recognises the files editors write while saving: vim's write
// probe (4913, 5036, ...), swap files (.x.swp, .swo, .swx, .swpx) and
// backups (x~), JetBrains' x___jb_tmp___ / x___jb_old___, and emacs'
// autosaves (#x#) and locks (.#x).
func EditorTemp(name string) bool {
	switch {
	case name == "":
		return false
	case strings.HasSuffix(name, "~"),
		strings.HasPrefix(name, receiver.TmpPrefix),
		strings.Contains(name, "___jb_"),
		strings.HasPrefix(name, ".#"),
		len(name) > 1 && strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"):
		return true
	}
	for _, ext := range []string{".swp", ".swo", ".swn", ".swx", ".swpx"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	if n, err := strconv.Atoi(name); err == nil && n >= 4913 && (n-4913)%123 == 0 {
		return true // vim probes 4913, then adds 123 while the name exists
	}
	return false
}

// within returns path relative to root when it lies at or below root.
func within(root, path string) (string, bool) {
	if root == "" {
		return "", false
	}
	rel, err := filepath.Rel(root, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return rel, true
}
