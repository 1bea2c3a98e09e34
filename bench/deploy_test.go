//go:build linux

package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// deployYAML is 30 independent idle services for a swarm (dnsrr: this
// kernel has no ip_vs for VIPs).
func deployYAML() string {
	return idleServices(30, "    deploy:\n      endpoint_mode: dnsrr\n")
}

// BenchmarkDeploy30 compares `devstack deploy` of 30 services, which
// returns once all have converged, with `docker stack deploy` of the same
// file followed by polling until every service runs its task (every 100
// ms), on a one-node swarm of its own; three rounds alternating which goes
// first, medians. Target: <= 1.0x. Then no-op deploys of the deployed
// stack (median of 5). Target: <= 300 ms. Needs root (the swarm's engine
// runs in a network namespace); skipped otherwise.
func BenchmarkDeploy30(b *testing.B) {
	if os.Geteuid() != 0 {
		b.Skip("needs root: the swarm engine runs in a network namespace of its own")
	}
	sw := startSwarmEngine(b)
	file := filepath.Join(b.TempDir(), "compose.yaml")
	if err := os.WriteFile(file, []byte(deployYAML()), 0o644); err != nil {
		b.Fatal(err)
	}
	for range b.N {
		var devs, raws []time.Duration
		for round := range 3 {
			if round%2 == 1 {
				raws = append(raws, timeStackDeploy(b, sw, file))
			}
			ns := "dsbench-" + randID()
			devs = append(devs, sw.devstack(b, file, ns, "deploy"))
			sw.devstack(b, file, ns, "deploy", "rm")
			if round%2 == 0 {
				raws = append(raws, timeStackDeploy(b, sw, file))
			}
		}
		ns := "dsbench-" + randID()
		sw.devstack(b, file, ns, "deploy")
		noops := make([]time.Duration, 5)
		for i := range noops {
			noops[i] = sw.devstack(b, file, ns, "deploy")
		}
		sw.devstack(b, file, ns, "deploy", "rm")
		b.Logf("deploy: devstack %v, docker stack deploy + wait %v; no-op %v", devs, raws, noops)
		dev, raw := median(devs), median(raws)
		report(b, "deploy30-ms", "deploy 30 services until converged (median of 3)", ms(dev), "ms", 0)
		report(b, "stack30-ms", "  docker stack deploy + waiting (median of 3)", ms(raw), "ms", 0)
		report(b, "deploy30/stack", "deploy 30 / docker stack deploy + waiting", dev.Seconds()/raw.Seconds(), "x", 1.0)
		report(b, "noopdeploy30-ms", "no-op deploy, 30 services (median of 5)", ms(median(noops)), "ms", 300)
	}
}

// timeStackDeploy times docker stack deploy of file plus the wait until
// it has converged, then removes the stack (not timed).
func timeStackDeploy(b *testing.B, sw *swarmEngine, file string) time.Duration {
	b.Helper()
	ns := "dsbench-" + randID()
	start := time.Now()
	cmd := exec.Command("docker", "stack", "deploy", "--resolve-image", "never", "-c", file, ns)
	cmd.Env = append(os.Environ(), "DOCKER_HOST="+sw.host, "DOCKER_CONTEXT=")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("docker stack deploy: %v: %s", err, out)
	}
	sw.waitConverged(b, ns, 30)
	took := time.Since(start)
	sw.devstack(b, file, ns, "deploy", "rm")
	return took
}
