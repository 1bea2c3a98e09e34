//go:build linux

package e2e

import (
	"fmt"
	"os/exec"
	"path/filepath"

	"github.com/rogpeppe/go-internal/testscript"
)

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
	p, err := startDockerRegistry(filepath.Join(r.dir, name), addr, htpasswd, r.hub)
	if err != nil {
		return fmt.Errorf("rig %s: %w", name, err)
	}
	r.registries = append(r.registries, p)
	return nil
}
