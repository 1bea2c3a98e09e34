package snapshot

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/devstack/devstack/internal/snapshot/manifest"
)

// CheckName refuses a snapshot name that cannot be one: empty, with / or
// .., or characters other than letters, digits, . _ - +.
func CheckName(name string) error { return manifest.CheckName(name) }

// DefaultName is a save's name when none is given: the time (UTC, to the
// second) and the git branch, when there is one, made a valid name.
func DefaultName(now time.Time, branch string) string {
	name := now.UTC().Format("2006-01-02T15-04-05")
	if b := cleanBranch(branch); b != "" {
		name += "-" + b
	}
	return name
}

// AutoPrefix starts the names of the snapshots devstack takes by itself.
const AutoPrefix = "auto-"

func cleanBranch(branch string) string {
	var b strings.Builder
	for _, r := range branch {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-+", r) {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > 60 {
		s = s[:60]
	}
	return s
}

// GitBranch is the branch checked out in the git work tree holding dir,
// or "" (not a work tree, a detached HEAD): it reads .git/HEAD, or the
// HEAD of the git directory a .git file (a linked work tree) points at.
func GitBranch(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if b, ok := branchAt(filepath.Join(d, ".git")); ok {
			return b
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

func branchAt(dotgit string) (string, bool) {
	fi, err := os.Stat(dotgit)
	if err != nil {
		return "", false
	}
	gitdir := dotgit
	if !fi.IsDir() {
		data, err := os.ReadFile(dotgit)
		if err != nil {
			return "", false
		}
		p, ok := strings.CutPrefix(strings.TrimSpace(string(data)), "gitdir: ")
		if !ok {
			return "", false
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(dotgit), p)
		}
		gitdir = p
	}
	head, err := os.ReadFile(filepath.Join(gitdir, "HEAD"))
	if err != nil {
		return "", false
	}
	ref, ok := strings.CutPrefix(strings.TrimSpace(string(head)), "ref: refs/heads/")
	if !ok {
		return "", true // detached
	}
	return ref, true
}
