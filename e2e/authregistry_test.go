//go:build linux

package e2e

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// authRegistryConfig is a distribution 2.8 config that requires a login
// (htpasswd, bcrypt), for one script: its own port, its own storage.
const authRegistryConfig = `version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: %s
http:
  addr: %s
auth:
  htpasswd:
    realm: devstack-e2e
    path: %s
`

// cmdAuthRegistry implements `authregistry NAME USER PASSWORD`: starts
// Debian's docker-registry on a free 127.0.0.1 port, accepting only USER
// with PASSWORD, and sets NAME to its 127.0.0.1:PORT. It is stopped and its
// storage removed when the script ends. Log in with `exec docker login`
// under a DOCKER_CONFIG of the script's own.
func cmdAuthRegistry(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: authregistry NAME USER PASSWORD")
	}
	bin, err := exec.LookPath("docker-registry")
	ts.Check(err)
	hash, err := exec.Command("htpasswd", "-Bbn", args[1], args[2]).Output()
	if err != nil {
		ts.Fatalf("htpasswd (apt-get install apache2-utils): %v", err)
	}
	dir, err := os.MkdirTemp("", "devstack-e2e-authregistry-")
	ts.Check(err)
	ts.Defer(func() { os.RemoveAll(dir) })
	htpasswd := filepath.Join(dir, "htpasswd")
	ts.Check(os.WriteFile(htpasswd, hash, 0o600))
	port := freePort(ts)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	cfg := filepath.Join(dir, "config.yml")
	ts.Check(os.WriteFile(cfg, fmt.Appendf(nil, authRegistryConfig, filepath.Join(dir, "storage"), addr, htpasswd), 0o644))
	logf, err := os.Create(filepath.Join(dir, "registry.log"))
	ts.Check(err)
	defer logf.Close()
	cmd := exec.Command(bin, "serve", cfg)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	ts.Check(cmd.Start())
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	ts.Defer(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	c := http.Client{Timeout: 2 * time.Second}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		resp, err := c.Get("http://" + addr + "/v2/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusUnauthorized {
				break
			}
		}
		select {
		case <-done:
			log, _ := os.ReadFile(filepath.Join(dir, "registry.log"))
			ts.Fatalf("docker-registry exited:\n%s", log)
		default:
		}
		if time.Now().After(deadline) {
			ts.Fatalf("docker-registry did not answer 401 on %s within 20s", addr)
		}
	}
	ts.Setenv(args[0], addr)
}
