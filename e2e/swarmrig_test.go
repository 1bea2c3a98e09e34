//go:build linux

package e2e

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

var nonEnvChars = regexp.MustCompile(`[^A-Za-z0-9_]+`)

// cmdSwarmrig implements `swarmrig N`: starts N rig engines node1..nodeN
// (see nsengine), makes node1 a swarm manager (advertising its rig address)
// and joins the others as workers, waits until all N nodes are Ready, and
// starts a registry on the rig's bridge that every node trusts
// (--insecure-registry). Sets DOCKER_HOST to the manager for the rest of
// the script, NODEi_HOST / NODEi_IP for each node, and RIGREGISTRY to the
// registry's address (10.77.0.1:5000; reachable from the rig's engines, not
// from the machine's). The machine's own engine is never put in swarm mode.
func cmdSwarmrig(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: swarmrig N")
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 1 || n > 9 {
		ts.Fatalf("swarmrig: N must be 1..9")
	}
	start := time.Now()
	r := scriptRig(ts)
	engines := make([]*nsEngine, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range engines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			engines[i], errs[i] = r.start(fmt.Sprintf("node%d", i+1), true)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		ts.Check(err)
	}
	ts.Check(formSwarm(engines))
	ts.Check(r.startRegistry("registry", rigRegistry, ""))
	for _, e := range engines {
		exportEngine(ts, e)
	}
	ts.Setenv("DOCKER_HOST", engines[0].host())
	ts.Setenv("RIGREGISTRY", rigRegistry)
	ts.Logf("swarmrig: %d nodes and the registry up in %v", n, time.Since(start).Round(time.Millisecond))
}

// formSwarm inits the swarm on the first engine, joins the others and waits
// until every node is Ready.
func formSwarm(engines []*nsEngine) error {
	mgr := engines[0]
	if _, err := dockerHostOut(mgr.host(), "swarm", "init", "--advertise-addr", mgr.ip); err != nil {
		return err
	}
	token, err := dockerHostOut(mgr.host(), "swarm", "join-token", "-q", "worker")
	if err != nil {
		return err
	}
	errs := make([]error, len(engines))
	var wg sync.WaitGroup
	for i, e := range engines[1:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = dockerHostOut(e.host(), "swarm", "join", "--token", strings.TrimSpace(token),
				"--advertise-addr", e.ip, mgr.ip+":2377")
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	var states string
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		states, err = dockerHostOut(mgr.host(), "node", "ls", "--format", "{{.Hostname}} {{.Status}}")
		if err == nil && strings.Count(states, " Ready") == len(engines) {
			return nil
		}
	}
	return fmt.Errorf("swarm nodes not all Ready within 60s: %v\n%s", err, states)
}

// cmdWaitrunning implements `waitrunning SERVICE N [TIMEOUT]`: waits until N
// tasks of the swarm service (on $DOCKER_HOST) are running, default 60s.
func cmdWaitrunning(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || len(args) > 3 {
		ts.Fatalf("usage: waitrunning SERVICE N [TIMEOUT]")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	timeout := 60 * time.Second
	if len(args) == 3 {
		timeout = parseDuration(ts, args[2])
	}
	var out string
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		out, err = dockerHostOut(ts.Getenv("DOCKER_HOST"), "service", "ps", args[0],
			"--filter", "desired-state=running", "--format", "{{.Node}} {{.CurrentState}} {{.Error}}")
		if err == nil && strings.Count(out, " Running ") == n {
			return
		}
	}
	ts.Fatalf("waitrunning %s: not %d tasks running within %v: %v\n%s", args[0], n, timeout, err, out)
}
