package watch

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/watch/inject"
	"github.com/devstack/devstack/internal/watch/receiver"
)

// box is a running container that syncs go into: the owner its files get
// (the container's user, as compose does) and the way files get there.
//
//   - Direct: when the engine runs on this machine and devstack may enter
//     the container's root (root, no user namespace remapping), files are
//     written through /proc/PID/root, confined to it by os.Root so that a
//     symlink in the container cannot lead writes out of it (about a
//     millisecond a batch).
//   - Receiver: otherwise devstack installs its receiver in the container
//     (package inject: the small static devstack-receiver embedded for the
//     engine's architecture) and keeps one exec of it running, which
//     applies batches sent as tar streams over the exec's stdin (package
//     receiver; a few milliseconds a batch, no tar binary needed in the
//     image).
//   - CopyToContainer: when the receiver cannot run (none for the engine's
//     platform, a read-only root, noexec), files
//     go as a tar stream through CopyToContainer and deletes as `rm -rf`
//     execs: 100-400 ms a batch on a 20.10 engine, which re-executes itself
//     to unpack in a chroot.
//
// Each way falls back to the next for a batch that fails. The environment
// variable DEVSTACK_WATCH_COPY=api skips the direct path (as for a remote
// engine), DEVSTACK_WATCH_COPY=copy skips the receiver too.
type box struct {
	id       string
	pid      int
	uid, gid int
	root     *os.Root          // nil: not direct
	bin      *inject.Binary    // nil: no receiver
	recv     *inject.Conn      // the running receiver, started by the first sync
	warm     <-chan warmResult // a receiver being started ahead of the first sync
	recvOff  bool              // the receiver failed here: CopyToContainer until a restart
	breaks   int               // receivers that broke
}

// boxes caches boxes by container ID; a restart changes the process, so
// restarted containers are dropped.
type boxes struct {
	api    dockerapi.API
	direct bool // the direct path may be tried at all
	recv   bool // the receiver may be tried at all

	binMu      sync.Mutex
	bin        *inject.Binary
	binChecked bool

	mu sync.Mutex
	m  map[string]*box
}

func newBoxes(api dockerapi.API) *boxes {
	mode := os.Getenv("DEVSTACK_WATCH_COPY")
	direct := strings.HasPrefix(api.DaemonHost(), "unix://") && mode != "api" && mode != "copy"
	return &boxes{api: api, direct: direct, recv: mode != "copy", m: map[string]*box{}}
}

// get inspects the container each time (a few milliseconds): a restart
// changes its process, and the root of a process that is gone must not be
// used. Its owner is resolved once.
func (bs *boxes) get(ctx context.Context, id string) (*box, error) {
	ins, err := bs.api.ContainerInspect(ctx, id)
	if err != nil {
		return nil, err
	}
	pid := 0
	if ins.State != nil && ins.State.Running {
		pid = ins.State.Pid
	}
	bs.mu.Lock()
	b := bs.m[id]
	bs.mu.Unlock()
	if b == nil {
		b = &box{id: id}
		user := ""
		if ins.Config != nil {
			user = ins.Config.User
		}
		b.pid = pid
		b.openRoot(bs.direct)
		if b.uid, b.gid, err = b.owner(ctx, bs.api, user); err != nil {
			b.close()
			return nil, err
		}
		bs.mu.Lock()
		bs.m[id] = b
		bs.mu.Unlock()
	} else {
		if b.pid != pid {
			b.close() // the process they belonged to is gone
			b.pid, b.recvOff, b.breaks = pid, false, 0
		}
		if b.root == nil {
			b.openRoot(bs.direct)
		}
	}
	if b.root == nil && b.bin == nil && bs.recv {
		b.bin = bs.receiver(ctx)
	}
	return b, nil
}

func (b *box) openRoot(direct bool) {
	if direct && b.pid > 0 && identityMapped(b.pid) {
		if r, err := os.OpenRoot(fmt.Sprintf("/proc/%d/root", b.pid)); err == nil {
			b.root = r
		}
	}
}

func (bs *boxes) closeAll() {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	for id, b := range bs.m {
		b.close()
		delete(bs.m, id)
	}
}

func (b *box) close() {
	b.closeRoot()
	b.closeReceiver()
}

func (b *box) closeRoot() {
	if b.root != nil {
		b.root.Close()
		b.root = nil
	}
}

// identityMapped: the container's user namespace is the host's, so a file
// devstack chowns to uid 1000 is uid 1000 inside too.
func identityMapped(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/uid_map", pid))
	return err == nil && strings.Join(strings.Fields(string(data)), " ") == "0 0 4294967295"
}

// owner resolves the container's user ("", "name", "uid", "uid:gid",
// "name:group") to numbers, reading the container's /etc/passwd and
// /etc/group only for names.
func (b *box) owner(ctx context.Context, api dockerapi.ContainerAPI, user string) (int, int, error) {
	if user == "" {
		return 0, 0, nil
	}
	u, g, _ := strings.Cut(user, ":")
	uid, uerr := strconv.Atoi(u)
	gid, gerr := strconv.Atoi(g)
	if uerr == nil && (g == "" || gerr == nil) {
		if g == "" {
			gid = uid // no group named: compose's (and the daemon's) default when no passwd entry
			if passwd, err := b.readFile(ctx, api, "/etc/passwd"); err == nil {
				if _, pg, ok := lookupPasswd(passwd, u); ok {
					gid = pg
				}
			}
		}
		return uid, gid, nil
	}
	passwd, err := b.readFile(ctx, api, "/etc/passwd")
	if err != nil {
		return 0, 0, fmt.Errorf("user %s of container %.12s: %w", user, b.id, err)
	}
	uid, pgid, ok := lookupPasswd(passwd, u)
	if !ok {
		if uerr != nil {
			return 0, 0, fmt.Errorf("user %s of container %.12s: no such user in its /etc/passwd", user, b.id)
		}
		uid = mustAtoi(u)
	}
	gid = pgid
	switch {
	case g == "":
	case gerr == nil:
	default:
		group, err := b.readFile(ctx, api, "/etc/group")
		if err != nil {
			return 0, 0, fmt.Errorf("group %s of container %.12s: %w", g, b.id, err)
		}
		if gid, ok = lookupGroup(group, g); !ok {
			return 0, 0, fmt.Errorf("group %s of container %.12s: no such group in its /etc/group", g, b.id)
		}
	}
	return uid, gid, nil
}

func mustAtoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// lookupPasswd finds a user by name or uid in passwd(5) data.
func lookupPasswd(data []byte, user string) (uid, gid int, ok bool) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Split(sc.Text(), ":")
		if len(f) < 4 || (f[0] != user && f[2] != user) {
			continue
		}
		u, err1 := strconv.Atoi(f[2])
		g, err2 := strconv.Atoi(f[3])
		if err1 == nil && err2 == nil {
			return u, g, true
		}
	}
	return 0, 0, false
}

// lookupGroup finds a group's gid by name in group(5) data.
func lookupGroup(data []byte, name string) (int, bool) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Split(sc.Text(), ":")
		if len(f) >= 3 && f[0] == name {
			if g, err := strconv.Atoi(f[2]); err == nil {
				return g, true
			}
		}
	}
	return 0, false
}

// readFile reads a small file of the container, directly or through the API.
func (b *box) readFile(ctx context.Context, api dockerapi.ContainerAPI, name string) ([]byte, error) {
	if b.root != nil {
		if data, err := b.root.ReadFile(strings.TrimPrefix(name, "/")); err == nil {
			return data, nil
		}
	}
	rc, _, err := api.CopyFromContainer(ctx, b.id, name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	if _, err := tr.Next(); err != nil {
		return nil, err
	}
	return io.ReadAll(io.LimitReader(tr, 1<<20))
}

// errDirect is a failure of the direct path; the API path is tried instead.
var errDirect = errors.New("direct copy failed")

// put copies the entries into the container and deletes the targets.
func (b *box) put(ctx context.Context, api dockerapi.API, copies []entry, parents, deletes []string) error {
	if b.root != nil {
		err := b.putDirect(copies, parents, deletes)
		if err == nil || errors.Is(err, receiver.ErrNoSpace) {
			return err // a full disk is full whichever way the file goes
		}
		// A read-only root, a process gone...: the engine decides. The
		// next sync tries the direct path again.
		b.closeRoot()
	}
	if b.bin != nil && !b.recvOff {
		err := b.putReceiver(ctx, api, copies, parents, deletes)
		if err == nil || errors.Is(err, receiver.ErrNoSpace) {
			return err
		}
	}
	if len(deletes) > 0 {
		if err := deleteIn(ctx, api, b.id, deletes); err != nil {
			return err
		}
	}
	if len(copies) == 0 {
		return nil
	}
	return copyInto(ctx, api, b.id, copies, parents, b.uid, b.gid)
}

// putDirect writes through the container's root (see receiver.Writer).
func (b *box) putDirect(copies []entry, parents, deletes []string) error {
	if err := receiver.RemoveAll(b.root, deletes); err != nil {
		return fmt.Errorf("%w: %v", errDirect, err)
	}
	w := receiver.NewWriter(b.root)
	defer w.Close()
	for _, dir := range parents {
		it := receiver.Item{Rel: receiver.RelPath(dir), Mode: fs.ModeDir | 0o755, UID: b.uid, GID: b.gid}
		if err := w.Apply(it); err != nil {
			return fmt.Errorf("%w: %v", errDirect, err)
		}
	}
	for _, e := range copies {
		if err := b.putEntry(w, e); errors.Is(err, syscall.ENOSPC) {
			return fmt.Errorf("%w (nothing written): %s", receiver.ErrNoSpace, e.target)
		} else if err != nil {
			return fmt.Errorf("%w: %s: %v", errDirect, e.target, err)
		}
	}
	return nil
}

func (b *box) putEntry(w *receiver.Writer, e entry) error {
	it := receiver.Item{Rel: receiver.RelPath(e.target), Mode: e.info.Mode(), UID: b.uid, GID: b.gid, Link: e.link}
	if it.Mode&fs.ModeSymlink == 0 {
		it.MTime = e.info.ModTime()
	}
	if it.Mode.IsRegular() {
		f, err := os.Open(e.host)
		if os.IsNotExist(err) {
			return nil // removed since: the next batch deletes it
		}
		if err != nil {
			return err
		}
		defer f.Close()
		it.Body = f
	}
	return w.Apply(it)
}
