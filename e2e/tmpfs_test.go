//go:build linux

package e2e

import (
	"os"
	"os/exec"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdTmpfs implements `tmpfs DIR SIZE`: mounts a tmpfs of SIZE (as mount's
// size= option: 1m, 512k) at DIR, created under the script's work dir, and
// unmounts it when the script ends. Mounting needs root, which e2e has; a
// small one provokes "no space left on device".
func cmdTmpfs(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: tmpfs DIR SIZE")
	}
	dir := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(dir, 0o755))
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+args[1], "tmpfs", dir).CombinedOutput(); err != nil {
		ts.Fatalf("mount tmpfs on %s: %v: %s", dir, err, strings.TrimSpace(string(out)))
	}
	ts.Defer(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			ts.Logf("umount %s: %v: %s", dir, err, out)
		}
	})
}
