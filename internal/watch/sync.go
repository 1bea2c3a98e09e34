package watch

import (
	"archive/tar"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/dockerapi"
)

// known remembers which host paths the container has (or had at the start:
// the tree as it was when watching began, and everything synced since), so
// that a path that vanished is deleted in the container only when it got
// there. A temporary file written and renamed within one batch, as editors
// save, costs nothing.
type known struct {
	mu    sync.Mutex
	paths map[string]bool
}

func newKnown() *known { return &known{paths: map[string]bool{}} }

func (k *known) add(ps ...string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, p := range ps {
		k.paths[p] = true
	}
}

func (k *known) has(p string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.paths[p]
}

// remove forgets p and everything below it.
func (k *known) remove(p string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for q := range k.paths {
		if _, ok := within(p, q); ok {
			delete(k.paths, q)
		}
	}
}

// under lists the known paths at or below root.
func (k *known) under(root string) []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []string
	for q := range k.paths {
		if _, ok := within(root, q); ok {
			out = append(out, q)
		}
	}
	return out
}

// knownSets keeps a known set per trigger: triggers of one host path (two
// services, or two rules of one) sync into different containers or
// places, and each learns of a deletion from its own set (a shared one,
// cleared by the first trigger's delete, kept it from the others).
type knownSets struct {
	mu sync.Mutex
	m  map[*Trigger]*known
}

func newKnownSets() *knownSets { return &knownSets{m: map[*Trigger]*known{}} }

// of is the trigger's set.
func (ks *knownSets) of(t *Trigger) *known {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	k := ks.m[t]
	if k == nil {
		k = newKnown()
		ks.m[t] = k
	}
	return k
}

// has reports whether any trigger knows p.
func (ks *knownSets) has(p string) bool {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	for _, k := range ks.m {
		if k.has(p) {
			return true
		}
	}
	return false
}

// entry is one file, directory or symlink to put into the container.
type entry struct {
	host, target string
	info         fs.FileInfo
	link         string
}

// syncPlan splits a trigger's changed host paths into what to copy and
// what to delete (host paths), expanding directories that appeared:
// everything in them goes.
func syncPlan(t *Trigger, paths []string, k *known) (copies []entry, deletes []string, err error) {
	seen := map[string]bool{}
	addEntry := func(host string, fi fs.FileInfo) error {
		if seen[host] {
			return nil
		}
		seen[host] = true
		e := entry{host: host, target: t.ContainerPath(host), info: fi}
		if e.target == "" {
			return nil
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			if e.link, err = os.Readlink(host); err != nil {
				return err
			}
		}
		copies = append(copies, e)
		return nil
	}
	for _, p := range paths {
		fi, err := os.Lstat(p)
		if os.IsNotExist(err) {
			if k.has(p) {
				deletes = append(deletes, p)
			}
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if !fi.IsDir() {
			if fi.Mode().IsRegular() || fi.Mode()&fs.ModeSymlink != 0 {
				if err := addEntry(p, fi); err != nil {
					return nil, nil, err
				}
			}
			continue
		}
		err = filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) {
					return nil
				}
				return err
			}
			if q != p && t.Match.Ignored(q, d.IsDir()) {
				if d.IsDir() && t.Match.SkipDir(q) {
					return filepath.SkipDir
				}
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return nil // gone meanwhile
			}
			if !d.IsDir() && !info.Mode().IsRegular() && info.Mode()&fs.ModeSymlink == 0 {
				return nil // sockets, fifos: nothing to copy
			}
			return addEntry(q, info)
		})
		if err != nil {
			return nil, nil, err
		}
	}
	sort.Slice(copies, func(i, j int) bool { return copies[i].target < copies[j].target })
	sort.Strings(deletes)
	return copies, deletes, nil
}

// dedupeNested drops paths below another path of the (sorted) list.
func dedupeNested(paths []string) []string {
	var out []string
	for _, p := range paths {
		if n := len(out); n > 0 && (p == out[n-1] || strings.HasPrefix(p, strings.TrimSuffix(out[n-1], "/")+"/")) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// writeTar streams the entries as a tar archive rooted at "/" (see writeTarAt).
func writeTar(w io.Writer, copies []entry, parents []string, uid, gid int) error {
	return writeTarAt(w, "/", copies, parents, uid, gid)
}

// writeTarAt streams the entries as a tar archive rooted at the container
// directory base, which holds them all. Directories the container may not
// have yet come first, so they are created with the host's modes (and the
// container user's ownership) rather than as root-owned defaults.
func writeTarAt(w io.Writer, base string, copies []entry, parents []string, uid, gid int) error {
	name := func(target string) string {
		return strings.TrimPrefix(strings.TrimPrefix(target, base), "/")
	}
	tw := tar.NewWriter(w)
	for _, dir := range parents {
		hdr := &tar.Header{Name: name(dir) + "/", Typeflag: tar.TypeDir, Mode: 0o755, Uid: uid, Gid: gid}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
	}
	for _, e := range copies {
		hdr, err := tar.FileInfoHeader(e.info, e.link)
		if err != nil {
			return err
		}
		hdr.Name = name(e.target)
		hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname = uid, gid, "", ""
		hdr.Format = tar.FormatPAX // keeps the host's time to the nanosecond (catch-up compares it)
		hdr.AccessTime, hdr.ChangeTime = time.Time{}, time.Time{}
		if e.info.IsDir() {
			hdr.Name += "/"
		}
		if !e.info.Mode().IsRegular() {
			if err := tw.WriteHeader(hdr); err != nil {
				return err
			}
			continue
		}
		f, err := os.Open(e.host)
		if err != nil {
			if os.IsNotExist(err) {
				continue // removed since: the next batch deletes it
			}
			return err
		}
		// The header's size is what goes into the archive: a file that
		// grows meanwhile is cut, one that shrinks is padded with zeros;
		// its next event syncs it again.
		if err := tw.WriteHeader(hdr); err != nil {
			f.Close()
			return err
		}
		_, err = io.Copy(tw, io.LimitReader(io.MultiReader(f, zeros{}), hdr.Size))
		f.Close()
		if err != nil {
			return err
		}
	}
	return tw.Close()
}

type zeros struct{}

func (zeros) Read(b []byte) (int, error) {
	clear(b)
	return len(b), nil
}

// missingParents lists the container directories between the trigger's
// target and the copies that the container does not have yet as far as we
// know (their host directories are not known), shallowest first.
func missingParents(t *Trigger, copies []entry, k *known) []string {
	want, copied := map[string]bool{}, map[string]bool{}
	for _, e := range copies {
		copied[e.target] = true
	}
	for _, e := range copies {
		for dir := filepath.Dir(e.host); ; dir = filepath.Dir(dir) {
			if _, ok := within(t.Path, dir); !ok || dir == t.Path || k.has(dir) {
				break
			}
			if c := t.ContainerPath(dir); !copied[c] {
				want[c] = true
			}
		}
	}
	out := make([]string, 0, len(want))
	for d := range want {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// copyInto streams the entries into one container through the Engine API,
// owned by uid:gid (the container's user, resolved by devstack: the 20.10
// daemon's CopyUIDGID fails for a numeric user without a passwd entry).
// The archive goes to the deepest directory that holds all the entries
// (the engine refuses "/" in a container with a read-only root, even when
// the files go to a volume), or to "/" while that directory is missing.
func copyInto(ctx context.Context, api dockerapi.ContainerAPI, id string, copies []entry, parents []string, uid, gid int) error {
	base := copyBase(copies, parents)
	err := copyTar(ctx, api, id, base, copies, parents, uid, gid)
	if base != "/" && errdefs.IsNotFound(err) {
		err = copyTar(ctx, api, id, "/", copies, parents, uid, gid)
	}
	return err
}

func copyTar(ctx context.Context, api dockerapi.ContainerAPI, id, base string, copies []entry, parents []string, uid, gid int) error {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeTarAt(pw, base, copies, parents, uid, gid)) }()
	err := api.CopyToContainer(ctx, id, base, pr, container.CopyToContainerOptions{AllowOverwriteDirWithFile: true})
	pr.CloseWithError(io.ErrClosedPipe) // stops the writer if the engine gave up early
	return err
}

// copyBase is the deepest container directory holding every entry.
func copyBase(copies []entry, parents []string) string {
	base := ""
	add := func(target string) {
		d := path.Dir(target)
		if base == "" {
			base = d
		}
		for base != "/" && d != base && !strings.HasPrefix(d, base+"/") {
			base = path.Dir(base)
		}
	}
	for _, p := range parents {
		add(p)
	}
	for _, e := range copies {
		add(e.target)
	}
	if base == "" || base == "." {
		return "/"
	}
	return base
}

// deleteIn removes the container paths with one `rm -rf` exec, as root:
// the files were copied in by the engine (root) whatever the container's
// user may delete.
func deleteIn(ctx context.Context, api dockerapi.ExecAPI, id string, paths []string) error {
	paths = slices.DeleteFunc(slices.Clone(paths), func(p string) bool { return p == "/" || p == "" })
	if len(paths) == 0 {
		return nil
	}
	code, out, err := execIn(ctx, api, id, execSpec{Cmd: append([]string{"rm", "-rf", "--"}, paths...), User: "0"})
	if err != nil {
		return err
	}
	if code != 0 {
		return fmt.Errorf("rm -rf in the container exited with %d: %s", code, strings.TrimSpace(out))
	}
	return nil
}
