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
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// rigRegistryConfig is a distribution 2.8 config listening on the rig's
// bridge; auth is "" or an htpasswd section.
const rigRegistryConfig = `version: 0.1
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

const rigAuthRegistry = rigHubIP + ":5001"

// cmdRigAuthRegistry implements `rigauthregistry USER PASSWORD`: a second
// registry on the rig's bridge (10.77.0.1:5001, in $RIGAUTHREGISTRY) that
// accepts only USER with PASSWORD (htpasswd, bcrypt). Every rig engine
// trusts it without TLS; log in with `exec docker login` under a
// DOCKER_CONFIG of the script's own. Call it after swarmrig or nsengine.
func cmdRigAuthRegistry(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: rigauthregistry USER PASSWORD")
	}
	hash, err := exec.Command("htpasswd", "-Bbn", args[0], args[1]).Output()
	if err != nil {
		ts.Fatalf("htpasswd (apt-get install apache2-utils): %v", err)
	}
	ts.Check(scriptRig(ts).startRegistry("authregistry", rigAuthRegistry, string(hash)))
	ts.Setenv("RIGAUTHREGISTRY", rigAuthRegistry)
}

// startRegistry runs docker-registry (in dir NAME of the rig) in the rig's
// hub namespace on addr and waits until it answers there (200, or 401 when
// it requires a login: htpasswd is the file's content, "" for none).
func (r *rig) startRegistry(name, addr, htpasswd string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.hub == "" {
		return fmt.Errorf("%s: no rig engine started yet", name)
	}
	dir := filepath.Join(r.dir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	auth := ""
	if htpasswd != "" {
		file := filepath.Join(dir, "htpasswd")
		if err := os.WriteFile(file, []byte(htpasswd), 0o600); err != nil {
			return err
		}
		auth = "auth:\n  htpasswd:\n    realm: devstack-e2e\n    path: " + file + "\n"
	}
	cfg := filepath.Join(dir, "config.yml")
	if err := os.WriteFile(cfg, fmt.Appendf(nil, rigRegistryConfig, filepath.Join(dir, "storage"), addr, auth), 0o644); err != nil {
		return err
	}
	logf, err := os.Create(filepath.Join(dir, "registry.log"))
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command("nsenter", "--net="+filepath.Join(netnsDir, r.hub), "--", "docker-registry", "serve", cfg)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		return err
	}
	r.registries = append(r.registries, cmd)
	c := http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, addr string) (net.Conn, error) {
			return dialInNetns(ctx, r.hub, addr)
		}}}
	want := http.StatusOK
	if htpasswd != "" {
		want = http.StatusUnauthorized
	}
	var resp *http.Response
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if resp, err = c.Get("http://" + addr + "/v2/"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == want {
				return nil
			}
			err = fmt.Errorf("GET /v2/: %s", resp.Status)
		}
	}
	data, _ := os.ReadFile(filepath.Join(dir, "registry.log"))
	return fmt.Errorf("rig %s did not answer on %s within 20s: %v\n%s", name, addr, err, data)
}
