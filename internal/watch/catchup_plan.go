package watch

import (
	"io/fs"
	"path"
	"sort"

	"github.com/devstack/devstack/internal/watch/receiver"
)

// catchUp is what brings a container's copy of a sync rule's tree up to
// the host's: paths relative to the rule's path (host) and target
// (container).
type catchUp struct {
	Copy     []string // host to container: missing, or differing in size, type, mode or link
	Hash     []string // same size, another time: the contents decide
	Delete   []string // in the container only, neither ignored nor brought back (nested ones left out)
	Back     []string // in the container only, and the rule's x-sync-back brings them back
	Conflict []string // differing files (of Copy, or of Hash once the contents differ) that x-sync-back covers
}

// planCatchUp compares the host's listing of a rule's tree with the
// container's (both relative, as receiver.List makes them). ignored says
// whether the rule leaves a path out; back is its x-sync-back. Times
// compare to the nanosecond: a file rewritten within the second it was
// synced in, at the same size, must not pass for synced (copies carry the
// host's time exactly, so a synced file matches). Pure.
func planCatchUp(host, ctr []receiver.Stat, ignored func(rel string, dir bool) bool, back backGlobs) catchUp {
	var c catchUp
	inCtr := make(map[string]receiver.Stat, len(ctr))
	for _, s := range ctr {
		inCtr[s.Rel] = s
	}
	onHost := make(map[string]bool, len(host))
	for _, h := range host {
		onHost[h.Rel] = true
		s, ok := inCtr[h.Rel]
		switch {
		case !ok, s.Mode.Type() != h.Mode.Type():
			c.Copy = append(c.Copy, h.Rel)
		case h.Mode.IsDir():
		case h.Mode&fs.ModeSymlink != 0:
			if s.Link != h.Link {
				c.Copy = append(c.Copy, h.Rel)
			}
		case s.Size != h.Size || s.Mode.Perm() != h.Mode.Perm():
			c.Copy = append(c.Copy, h.Rel)
			if s.Mode.IsRegular() && back.covers(h.Rel) {
				c.Conflict = append(c.Conflict, h.Rel)
			}
		case s.MTime != h.MTime:
			c.Hash = append(c.Hash, h.Rel)
		}
	}
	c.containerOnly(ctr, onHost, ignored, back)
	sort.Strings(c.Copy)
	return c
}

// containerOnly sorts what only the container has into Delete and Back.
func (c *catchUp) containerOnly(ctr []receiver.Stat, onHost map[string]bool, ignored func(string, bool) bool, back backGlobs) {
	sorted := make([]receiver.Stat, len(ctr))
	copy(sorted, ctr)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Rel < sorted[j].Rel })
	gone := map[string]bool{} // deleted, or skipped with all below it
	for _, s := range sorted {
		if onHost[s.Rel] || below(gone, s.Rel) {
			continue
		}
		dir := s.Mode.IsDir()
		switch {
		case ignored(s.Rel, dir):
			if dir {
				gone[s.Rel] = true
			}
		case back.covers(s.Rel):
			if s.Mode.IsRegular() {
				c.Back = append(c.Back, s.Rel)
			}
		case dir && back.coversBelow(s.Rel):
			// a directory that holds files brought back: kept, its other files judged one by one
		default:
			c.Delete = append(c.Delete, s.Rel)
			gone[s.Rel] = true
		}
	}
}

// below: a parent directory of rel is in set.
func below(set map[string]bool, rel string) bool {
	for d := path.Dir(rel); d != "." && d != "/"; d = path.Dir(d) {
		if set[d] {
			return true
		}
	}
	return false
}

// backGlobs are a sync rule's x-sync-back globs (relative to its target).
type backGlobs []string

// covers: a glob matches rel or a directory above it.
func (b backGlobs) covers(rel string) bool {
	for _, g := range b {
		if receiver.MatchGlob(g, rel) {
			return true
		}
	}
	return false
}

// coversBelow: a glob may match paths below the directory dir, which is
// then not deleted whole.
func (b backGlobs) coversBelow(dir string) bool {
	for _, g := range b {
		if receiver.MatchBelow(g, dir) {
			return true
		}
	}
	return false
}
