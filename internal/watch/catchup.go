package watch

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/devstack/devstack/internal/watch/receiver"
)

// hostListing lists what the trigger's path holds that its rules let
// through, relative to it, as receiver.List lists the container's side.
func hostListing(t *Trigger) []receiver.Stat {
	var out []receiver.Stat
	_ = filepath.WalkDir(t.Path, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == t.Path {
			return nil
		}
		if t.Match.Ignored(p, d.IsDir()) {
			if d.IsDir() && t.Match.SkipDir(p) {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil || !(info.IsDir() || info.Mode().IsRegular() || info.Mode()&fs.ModeSymlink != 0) {
			return nil // gone meanwhile; sockets and fifos are not synced
		}
		rel, _ := filepath.Rel(t.Path, p)
		st := receiver.Stat{Rel: filepath.ToSlash(rel), Mode: info.Mode(), Size: info.Size(), MTime: info.ModTime().UnixNano()}
		if info.Mode()&fs.ModeSymlink != 0 {
			st.Link, _ = os.Readlink(p)
		}
		out = append(out, st)
		return nil
	})
	return out
}

// initialAction and againAction name catching up in reports: when
// watching starts (compose's initial sync), and when a container starts
// again while watching (only then is a tree found up to date not said).
const (
	initialAction = "initial sync"
	againAction   = "catch-up"
)

// caughtUp is what catching up one container did.
type caughtUp struct {
	copied, deleted []string // host paths
}

// catchUp brings the trigger's containers up to the host's tree (see
// planCatchUp) and returns the report (under action) of what it copied
// and deleted; changed is false when nothing differed. A file trigger's
// file is simply copied.
func (r *runner) catchUp(ctx context.Context, t *Trigger, ids []string, action string) (rep Report, changed bool, err error) {
	start := time.Now()
	rep = Report{At: start, Service: t.Service, Action: action}
	if t.IsFile {
		_, err = r.sync(ctx, ids, t, []string{t.Path})
		rep.Files, rep.Took, rep.Err = []string{rel(r.p.WorkingDir, t.Path)}, time.Since(start), err
		return rep, true, err
	}
	// The host's tree is listed while the containers list theirs.
	listed := make(chan []receiver.Stat, 1)
	go func() { listed <- hostListing(t) }()
	host := sync.OnceValue(func() []receiver.Stat {
		h := <-listed
		r.stamps.setListing(t.Path, h)
		return h
	})
	defer host()
	copied, deleted := map[string]bool{}, map[string]bool{}
	for _, id := range ids {
		res, err := r.catchUpIn(ctx, t, id, host)
		if err != nil {
			rep.Took, rep.Err = time.Since(start), err
			return rep, true, err
		}
		for _, p := range res.copied {
			copied[p] = true
		}
		for _, p := range res.deleted {
			deleted[p] = true
		}
	}
	rep.Files, rep.Deleted, rep.Took = r.rels(copied), r.rels(deleted), time.Since(start)
	if len(copied) == 0 && len(deleted) == 0 {
		if action == initialAction {
			say(r.out, "service %s: %s is up to date in the container (%d entries compared in %v)",
				t.Service, rel(r.p.WorkingDir, t.Path), len(host()), roundDuration(rep.Took))
		}
		return rep, false, nil
	}
	return rep, true, nil
}

func (r *runner) rels(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, rel(r.p.WorkingDir, p))
	}
	sort.Strings(out)
	return out
}

// catchUpIn catches one container up. When its files cannot be listed
// (CopyToContainer only), the whole tree is copied, as before catching up
// compared anything.
func (r *runner) catchUpIn(ctx context.Context, t *Trigger, id string, hostList func() []receiver.Stat) (caughtUp, error) {
	b, err := r.boxes.get(ctx, id)
	if err != nil {
		return caughtUp{}, err
	}
	k := r.known.of(t)
	ctr, err := b.list(ctx, r.api, t.Target)
	host := hostList()
	if err != nil {
		if ctx.Err() != nil {
			return caughtUp{}, ctx.Err()
		}
		copies, _, err := syncPlan(t, []string{t.Path}, k)
		// The target itself is the container's: copying it would mean
		// copying into its parent (the root, perhaps read-only).
		copies = slices.DeleteFunc(copies, func(e entry) bool { return e.host == t.Path })
		if err == nil && len(copies) > 0 {
			err = b.put(ctx, r.api, copies, missingParents(t, copies, k), nil)
		}
		return caughtUp{copied: fileHosts(copies)}, err
	}
	ignored := func(rel string, dir bool) bool {
		return t.Match.Ignored(filepath.Join(t.Path, filepath.FromSlash(rel)), dir)
	}
	plan := planCatchUp(host, ctr, ignored, backGlobs(t.SyncBack))
	if err := r.compareContents(ctx, b, t, &plan); err != nil {
		return caughtUp{}, err
	}
	if len(t.SyncBack) > 0 {
		r.follow(ctx, t, id, plan.Back, plan.Conflict) // the container's versions come back before the host's replace them
	}
	hostPaths := make([]string, len(plan.Copy))
	for i, p := range plan.Copy {
		hostPaths[i] = filepath.Join(t.Path, filepath.FromSlash(p))
	}
	copies, _, err := syncPlan(t, hostPaths, k)
	if err != nil {
		return caughtUp{}, err
	}
	var deletes, deleted []string
	for _, p := range plan.Delete {
		deletes = append(deletes, path.Join(t.Target, p))
		deleted = append(deleted, filepath.Join(t.Path, filepath.FromSlash(p)))
	}
	if len(copies) > 0 || len(deletes) > 0 {
		if err := b.put(ctx, r.api, copies, nil, deletes); err != nil {
			return caughtUp{}, err
		}
	}
	r.stamps.setEntries(copies)
	return caughtUp{copied: fileHosts(copies), deleted: deleted}, nil
}

// compareContents hashes the files planCatchUp could not tell apart by
// size and time, on both sides; those that differ are copied (and are
// conflicts where x-sync-back covers them).
func (r *runner) compareContents(ctx context.Context, b *box, t *Trigger, plan *catchUp) error {
	if len(plan.Hash) == 0 {
		return nil
	}
	paths := make([]string, len(plan.Hash))
	for i, p := range plan.Hash {
		paths[i] = path.Join(t.Target, p)
	}
	sums, err := b.hash(ctx, r.api, paths)
	if err != nil {
		return fmt.Errorf("hashing %d files in the container: %w", len(paths), err)
	}
	for i, p := range plan.Hash {
		if receiver.HashFile(filepath.Join(t.Path, filepath.FromSlash(p))) == sums[i] && sums[i].OK {
			continue
		}
		plan.Copy = append(plan.Copy, p)
		if backGlobs(t.SyncBack).covers(p) {
			plan.Conflict = append(plan.Conflict, p)
		}
	}
	sort.Strings(plan.Copy)
	return nil
}

// fileHosts lists the host paths of the copies that are not directories.
func fileHosts(copies []entry) []string {
	var out []string
	for _, e := range copies {
		if !e.info.IsDir() {
			out = append(out, e.host)
		}
	}
	return out
}
