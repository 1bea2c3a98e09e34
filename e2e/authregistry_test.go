//go:build linux

package e2e

import (
	"net"
	"os"
	"os/exec"
	"strconv"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdAuthRegistry implements `authregistry NAME USER PASSWORD`: starts
// Debian's docker-registry on a free 127.0.0.1 port, accepting only USER
// with PASSWORD (htpasswd, bcrypt), for one script: its own port, its own
// storage. Sets NAME to its 127.0.0.1:PORT. It is stopped and its storage
// removed when the script ends. Log in with `exec docker login` under a
// DOCKER_CONFIG of the script's own.
func cmdAuthRegistry(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: authregistry NAME USER PASSWORD")
	}
	hash, err := exec.Command("htpasswd", "-Bbn", args[1], args[2]).Output()
	if err != nil {
		ts.Fatalf("htpasswd (apt-get install apache2-utils): %v", err)
	}
	dir, err := os.MkdirTemp("", "devstack-e2e-authregistry-")
	ts.Check(err)
	ts.Defer(func() { os.RemoveAll(dir) })
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(freePort(ts)))
	p, err := startDockerRegistry(dir, addr, string(hash), "")
	ts.Check(err)
	ts.Defer(func() { p.stop(5 * time.Second) })
	ts.Setenv(args[0], addr)
}
