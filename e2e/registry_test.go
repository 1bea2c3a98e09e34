//go:build linux

package e2e

import (
	"fmt"
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

// registryConfig is a distribution 2.8 config: no auth, storage in a temp dir.
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
  addr: ` + registryAddr + "\n"

// reg is the registry this test binary started, shared by all scripts and
// stopped by TestMain when the binary exits.
var reg struct {
	sync.Mutex
	cmd  *exec.Cmd
	dir  string
	done chan struct{}
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
	if registryUp() {
		return nil
	}
	if reg.cmd != nil {
		return fmt.Errorf("registry started earlier no longer answers:\n%s", registryLog())
	}
	if err := startRegistry(); err != nil {
		return err
	}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
		select {
		case <-reg.done:
			return fmt.Errorf("docker-registry exited:\n%s", registryLog())
		case <-time.After(100 * time.Millisecond):
		}
		if registryUp() {
			return nil
		}
	}
	return fmt.Errorf("docker-registry did not answer on %s within 20s:\n%s", registryAddr, registryLog())
}

// registryUp reports whether a registry answers GET /v2/ with 200.
func registryUp() bool {
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get("http://" + registryAddr + "/v2/")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// startRegistry launches docker-registry with a generated config. The caller
// holds reg's lock.
func startRegistry() error {
	bin, err := exec.LookPath("docker-registry")
	if err != nil {
		return fmt.Errorf("docker-registry not installed (apt-get install docker-registry): %w", err)
	}
	dir, err := os.MkdirTemp("", "devstack-e2e-registry-")
	if err != nil {
		return err
	}
	cfg := filepath.Join(dir, "config.yml")
	data := fmt.Sprintf(registryConfig, filepath.Join(dir, "storage"))
	if err := os.WriteFile(cfg, []byte(data), 0o644); err != nil {
		return err
	}
	logf, err := os.Create(filepath.Join(dir, "registry.log"))
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(bin, "serve", cfg)
	cmd.Stdout, cmd.Stderr = logf, logf
	// Own process group (no stray terminal signals); dies with the test binary.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return err
	}
	reg.cmd, reg.dir, reg.done = cmd, dir, make(chan struct{})
	go func(done chan struct{}) { cmd.Wait(); close(done) }(reg.done)
	return nil
}

// registryLog returns the tail of the started registry's log.
func registryLog() string {
	data, _ := os.ReadFile(filepath.Join(reg.dir, "registry.log"))
	if len(data) > 4000 {
		data = data[len(data)-4000:]
	}
	return string(data)
}

// stopRegistry stops the registry this binary started, if any, and removes
// its storage. Called by TestMain.
func stopRegistry() {
	reg.Lock()
	defer reg.Unlock()
	if reg.cmd == nil {
		return
	}
	reg.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-reg.done:
	case <-time.After(5 * time.Second):
		reg.cmd.Process.Kill()
		<-reg.done
	}
	os.RemoveAll(reg.dir)
	reg.cmd = nil
}
