//go:build linux

package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// registryAddr is where pull tests find a registry (scripts get it as
// $REGISTRY). The engine trusts 127.0.0.0/8 registries without TLS.
const registryAddr = "127.0.0.1:5000"

// reg is the registry this test binary started, shared by all scripts and
// stopped by TestMain when the binary exits.
var reg struct {
	sync.Mutex
	p *registryProc
}

// cmdRegistry implements `registry`: makes sure a registry answers on
// 127.0.0.1:5000, starting Debian's docker-registry once per test binary run
// if nothing answers there yet.
func cmdRegistry(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: registry")
	}
	ts.Check(ensureRegistry())
}

// cmdPushimage implements `pushimage SRC NAME`: tags the local image SRC as
// 127.0.0.1:5000/NAME, pushes it, then removes that local tag so a later pull
// really pulls. NAME must start with $PROJECT so the cleanup finds whatever a
// pull brings back. Starts the registry if needed.
func cmdPushimage(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: pushimage SRC NAME")
	}
	if !strings.HasPrefix(args[1], ts.Getenv("PROJECT")) {
		ts.Fatalf("pushimage: NAME %q must start with $PROJECT", args[1])
	}
	ts.Check(ensureRegistry())
	ref := registryAddr + "/" + args[1]
	ts.Check(ts.Exec("docker", "tag", args[0], ref))
	pushErr := ts.Exec("docker", "push", ref)
	ts.Check(ts.Exec("docker", "rmi", ref))
	ts.Check(pushErr)
}

// ensureRegistry starts the shared registry unless one already answers.
func ensureRegistry() error {
	reg.Lock()
	defer reg.Unlock()
	c := http.Client{Timeout: 2 * time.Second}
	if registryAnswers(&c, registryAddr, http.StatusOK) == nil {
		return nil
	}
	if reg.p != nil {
		return fmt.Errorf("registry started earlier no longer answers:\n%s", reg.p.log())
	}
	dir, err := os.MkdirTemp("", "devstack-e2e-registry-")
	if err != nil {
		return err
	}
	if reg.p, err = startDockerRegistry(dir, registryAddr, "", ""); err != nil {
		os.RemoveAll(dir)
	}
	return err
}

// stopRegistry stops the registry this binary started, if any, and removes
// its storage. Called by TestMain.
func stopRegistry() {
	reg.Lock()
	defer reg.Unlock()
	if reg.p == nil {
		return
	}
	reg.p.stop(5 * time.Second)
	os.RemoveAll(reg.p.dir)
	reg.p = nil
}

// registryConfig is a distribution 2.8 config: storage under a dir, the
// address, and auth: "" or an htpasswd section.
const registryConfig = `version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: %s
  delete:
    enabled: true
http:
  addr: %s
%s`

// registryProc is a docker-registry the tests started.
type registryProc struct {
	cmd  *exec.Cmd
	dir  string        // its config, storage and log
	done chan struct{} // closed when it has exited
}

// startDockerRegistry runs Debian's docker-registry with its config,
// storage and log in dir, listening on addr in the network namespace
// netns ("" for the host's), requiring a login when htpasswd (the file's
// content) is set. It waits until GET /v2/ answers 200 (401 with a
// login), for 20s at most, else stops it and says why.
func startDockerRegistry(dir, addr, htpasswd, netns string) (*registryProc, error) {
	bin, err := exec.LookPath("docker-registry")
	if err != nil {
		return nil, fmt.Errorf("docker-registry not installed (apt-get install docker-registry): %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	auth, want := "", http.StatusOK
	if htpasswd != "" {
		file := filepath.Join(dir, "htpasswd")
		if err := os.WriteFile(file, []byte(htpasswd), 0o600); err != nil {
			return nil, err
		}
		auth = "auth:\n  htpasswd:\n    realm: devstack-e2e\n    path: " + file + "\n"
		want = http.StatusUnauthorized
	}
	cfg := filepath.Join(dir, "config.yml")
	if err := os.WriteFile(cfg, fmt.Appendf(nil, registryConfig, filepath.Join(dir, "storage"), addr, auth), 0o644); err != nil {
		return nil, err
	}
	logf, err := os.Create(filepath.Join(dir, "registry.log"))
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	argv := []string{bin, "serve", cfg}
	c := http.Client{Timeout: 2 * time.Second}
	if netns != "" {
		argv = append([]string{"nsenter", "--net=" + filepath.Join(netnsDir, netns), "--"}, argv...)
		c.Transport = &http.Transport{DialContext: func(ctx context.Context, _, addr string) (net.Conn, error) {
			return dialInNetns(ctx, netns, addr)
		}}
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = logf, logf
	// Own process group (no stray terminal signals); dies with the test binary.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &registryProc{cmd: cmd, dir: dir, done: make(chan struct{})}
	go func() { cmd.Wait(); close(p.done) }()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
		select {
		case <-p.done:
			return nil, fmt.Errorf("docker-registry on %s exited:\n%s", addr, p.log())
		case <-time.After(100 * time.Millisecond):
		}
		if err = registryAnswers(&c, addr, want); err == nil {
			return p, nil
		}
	}
	p.stop(5 * time.Second)
	return nil, fmt.Errorf("docker-registry did not answer on %s within 20s: %v\n%s", addr, err, p.log())
}

// registryAnswers says whether the registry on addr answers GET /v2/ with
// the status want.
func registryAnswers(c *http.Client, addr string, want int) error {
	resp, err := c.Get("http://" + addr + "/v2/")
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != want {
		return fmt.Errorf("GET /v2/: %s", resp.Status)
	}
	return nil
}

// stop ends the registry: SIGTERM, then SIGKILL after grace (at once
// when grace is 0).
func (p *registryProc) stop(grace time.Duration) {
	if grace > 0 {
		p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
			return
		case <-time.After(grace):
		}
	}
	p.cmd.Process.Kill()
	<-p.done
}

// log returns the tail of the registry's log.
func (p *registryProc) log() string {
	data, _ := os.ReadFile(filepath.Join(p.dir, "registry.log"))
	if len(data) > 4000 {
		data = data[len(data)-4000:]
	}
	return string(data)
}
