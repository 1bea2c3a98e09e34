//go:build linux

package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

var (
	chromiumOnce sync.Once
	chromiumOK   bool
)

// chromiumReady answers [chromium]: Debian's chromium and NSS's certutil
// are installed, or root could install them with apt-get (once, for all
// scripts; ~35 s). A script without them skips with one line.
func chromiumReady() bool {
	chromiumOnce.Do(func() {
		if haveAll("chromium", "certutil") {
			chromiumOK = true
			return
		}
		if os.Geteuid() != 0 || !haveAll("apt-get") {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "apt-get", "install", "-y", "-q", "chromium", "libnss3-tools")
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		_ = cmd.Run()
		chromiumOK = haveAll("chromium", "certutil")
	})
	return chromiumOK
}

func haveAll(names ...string) bool {
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			return false
		}
	}
	return true
}

// cmdAtexit implements `atexit CMD ARGS...`: runs the command when the
// script ends, passed or failed, with the script's PATH and HOME (e.g.
// `atexit devstack router trust --undo`, so that a failing script leaves no
// CA in the machine's trust store).
func cmdAtexit(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: atexit CMD ARGS...")
	}
	env := []string{"PATH=" + ts.Getenv("PATH"), "HOME=" + ts.Getenv("HOME")}
	for _, k := range []string{"DOCKER_HOST", "DEVSTACK_DATA_DIR"} {
		if v := ts.Getenv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	dir := ts.Getenv("WORK")
	ts.Defer(func() {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Env, cmd.Dir = env, dir
		if out, err := cmd.CombinedOutput(); err != nil {
			ts.Logf("atexit %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	})
}

// cmdExclusive implements `exclusive NAME`: the script holds the lock NAME
// until it ends, so scripts that share one engine-wide thing (the router:
// `exclusive router`, for scripts that stop it, restart it or hold its
// ports) run one after another while the others run in parallel. The lock
// is a flock on a file in the temp directory: test processes running at
// the same time on one machine take turns too.
func cmdExclusive(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: exclusive NAME")
	}
	f, err := os.OpenFile(filepath.Join(os.TempDir(), "devstack-e2e-"+args[0]+".lock"), os.O_CREATE|os.O_RDWR, 0o600)
	ts.Check(err)
	ts.Check(syscall.Flock(int(f.Fd()), syscall.LOCK_EX))
	ts.Defer(func() { f.Close() }) // closing the file releases the lock
}
