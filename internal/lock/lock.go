// Package lock serialises the devstack commands that change one project on
// one engine: a file lock (flock; LockFileEx on Windows) per engine
// endpoint and project name, in
// the user's runtime directory. The kernel releases it when the holder
// exits, however it exits (SIGKILL included), so a crash never leaves a
// stale lock behind.
package lock

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ErrHeld is returned when another process holds the lock and the wait
// allowed for it is over.
var ErrHeld = errors.New("another devstack holds the project")

// Holder is who holds a lock: the command line's verb and the process.
type Holder struct {
	Command string // e.g. "devstack up"
	PID     int
}

func (h Holder) String() string {
	if h.Command == "" && h.PID == 0 {
		return "another process"
	}
	if h.PID == 0 {
		return h.Command
	}
	return fmt.Sprintf("%s (pid %d)", h.Command, h.PID)
}

// Options say where the lock lives, who takes it and how long to wait.
type Options struct {
	Dir      string        // directory of the lock files (Dir() when empty)
	Endpoint string        // the engine's address, e.g. unix:///var/run/docker.sock
	Project  string        // the project name
	Me       Holder        // written into the file for the next one to read
	Wait     time.Duration // 0: fail at once; < 0: wait as long as ctx allows
	Poll     time.Duration // how often a waiter retries (100 ms when 0)
	OnWait   func(Holder)  // called once when the lock is busy and we wait
}

// Dir is where lock files live: $XDG_RUNTIME_DIR/devstack/locks, else the
// user's cache directory's devstack/locks, else the temp directory's.
func Dir() string {
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		return filepath.Join(d, "devstack", "locks")
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "devstack", "locks")
	}
	return filepath.Join(os.TempDir(), "devstack-locks-"+strconv.Itoa(os.Getuid()))
}

// Path names the lock file of a project on an endpoint: the project's name
// (for a human) and a hash of the endpoint and the name.
func Path(dir, endpoint, project string) string {
	sum := sha256.Sum256([]byte(endpoint + "\x00" + project))
	return filepath.Join(dir, project+"-"+hex.EncodeToString(sum[:])[:12]+".lock")
}

// Acquire takes the project's lock, waiting as o.Wait says. The returned
// function releases it; the process ending releases it too.
func Acquire(ctx context.Context, o Options) (release func(), err error) {
	if o.Dir == "" {
		o.Dir = Dir()
	}
	if o.Poll <= 0 {
		o.Poll = 100 * time.Millisecond
	}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("project lock: %w", err)
	}
	path := Path(o.Dir, o.Endpoint, o.Project)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("project lock: %w", err)
	}
	if err := wait(ctx, f, o); err != nil {
		_ = f.Close()
		return nil, err
	}
	// Ours now: say who holds it for the next one that waits.
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(fmt.Sprintf("%s\n%d\n", o.Me.Command, o.Me.PID)), 0)
	return func() {
		_ = f.Truncate(0)
		unlock(f)
		_ = f.Close()
	}, nil
}

// wait retries a non-blocking flock until it succeeds, the wait is over or
// ctx ends (a blocking flock could not be interrupted by Ctrl-C).
func wait(ctx context.Context, f *os.File, o Options) error {
	var deadline <-chan time.Time
	if o.Wait > 0 {
		t := time.NewTimer(o.Wait)
		defer t.Stop()
		deadline = t.C
	}
	tick := time.NewTicker(o.Poll)
	defer tick.Stop()
	said := false
	for {
		got, err := tryLock(f)
		if err != nil {
			return fmt.Errorf("project lock %s: %w", f.Name(), err)
		}
		if got {
			return nil
		}
		h := readHolder(f)
		if o.Wait == 0 {
			return fmt.Errorf("%w %s: %s is changing it (--wait-lock to wait for it)", ErrHeld, o.Project, h)
		}
		if !said && o.OnWait != nil {
			o.OnWait(h)
			said = true
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline:
			return fmt.Errorf("%w %s: %s still changes it after %s", ErrHeld, o.Project, h, o.Wait)
		case <-tick.C:
		}
	}
}

// readHolder reads what the holder wrote: its command, then its pid.
func readHolder(f *os.File) Holder {
	b := make([]byte, 512)
	n, _ := f.ReadAt(b, 0)
	lines := strings.Split(string(b[:n]), "\n")
	var h Holder
	h.Command = strings.TrimSpace(lines[0])
	if len(lines) > 1 {
		h.PID, _ = strconv.Atoi(strings.TrimSpace(lines[1]))
	}
	return h
}

// Held reports whether a process holds the lock at path now, and who (as
// it wrote itself into the file). A missing file is not held. It takes the
// lock for an instant to find out, so a process that takes the lock
// should allow itself a short wait (Options.Wait) for a prober to let go.
func Held(path string) (bool, Holder, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return false, Holder{}, nil
	}
	if err != nil {
		return false, Holder{}, err
	}
	defer f.Close()
	got, err := tryLock(f)
	if err != nil {
		return false, Holder{}, err
	}
	if got {
		unlock(f)
		return false, Holder{}, nil
	}
	return true, readHolder(f), nil
}
