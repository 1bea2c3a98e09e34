//go:build linux

package bench

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// kubeYAML is 30 independent idle services.
func kubeYAML() string { return idleServices(30, "    stop_grace_period: 1s\n") }

// BenchmarkKubeDeploy30 compares `devstack deploy --kubernetes` of 30
// services, which returns once all are ready, with `kubectl apply` of the
// manifests `devstack convert kubernetes` writes for the same file followed
// by `kubectl rollout status` of each Deployment, on a real cluster (the
// rig of make test-k8s: K8S_BENCH=KubeDeploy30 make test-k8s); a fresh namespace each
// time, three rounds alternating which goes first, medians. Target:
// <= 1.0x. Then no-op deploys of the deployed project (median of 5).
// Target: <= 500 ms. Skipped unless DEVSTACK_E2E_K8S=1 and KUBECONFIG are
// set; benchImage must be in the node (loaded here when DEVSTACK_K8S_RIG
// names the rig).
func BenchmarkKubeDeploy30(b *testing.B) {
	if os.Getenv("DEVSTACK_E2E_K8S") == "" || os.Getenv("KUBECONFIG") == "" {
		b.Skip("needs a Kubernetes cluster: DEVSTACK_E2E_K8S=1 and KUBECONFIG (K8S_BENCH=KubeDeploy30 make test-k8s)")
	}
	if rig := os.Getenv("DEVSTACK_K8S_RIG"); rig != "" {
		kubeRun(b, "../scripts/k8s-rig/rig.sh", "load-image", rig, benchImage)
	}
	dir := b.TempDir()
	file := filepath.Join(dir, "compose.yaml")
	if err := os.WriteFile(file, []byte(kubeYAML()), 0o644); err != nil {
		b.Fatal(err)
	}
	project := "dsbench-" + randID()
	manifests := filepath.Join(dir, "manifests.yaml")
	out := kubeRun(b, devstackBin, "-f", file, "-p", project, "convert", "kubernetes")
	if err := os.WriteFile(manifests, []byte(out), 0o644); err != nil {
		b.Fatal(err)
	}
	for range b.N {
		var devs, raws []time.Duration
		for round := range 3 {
			if round%2 == 1 {
				raws = append(raws, timeKubectlApply(b, manifests))
			}
			ns := kubeNamespace(b)
			devs = append(devs, timeKube(b, devstackBin, "-f", file, "-p", project, "deploy", "--kubernetes", "--namespace", ns, "--timeout", "5m"))
			kubeRun(b, "kubectl", "delete", "namespace", ns, "--wait=true", "--timeout=2m")
			if round%2 == 0 {
				raws = append(raws, timeKubectlApply(b, manifests))
			}
		}
		ns := kubeNamespace(b)
		kubeRun(b, devstackBin, "-f", file, "-p", project, "deploy", "--kubernetes", "--namespace", ns, "--timeout", "5m")
		noops := make([]time.Duration, 5)
		for i := range noops {
			noops[i] = timeKube(b, devstackBin, "-f", file, "-p", project, "deploy", "--kubernetes", "--namespace", ns)
		}
		kubeRun(b, "kubectl", "delete", "namespace", ns, "--wait=true", "--timeout=2m")
		b.Logf("deploy --kubernetes: devstack %v, kubectl apply + rollout status %v; no-op %v", devs, raws, noops)
		dev, raw := median(devs), median(raws)
		report(b, "kdeploy30-ms", "deploy --kubernetes 30 services until ready (median of 3)", ms(dev), "ms", 0)
		report(b, "kubectl30-ms", "  kubectl apply + rollout status each (median of 3)", ms(raw), "ms", 0)
		report(b, "kdeploy30/kubectl", "deploy --kubernetes 30 / kubectl apply + rollout status", dev.Seconds()/raw.Seconds(), "x", 1.0)
		report(b, "knoopdeploy30-ms", "no-op deploy --kubernetes, 30 services (median of 5)", ms(median(noops)), "ms", 500)
	}
}

// timeKubectlApply times kubectl apply of the manifests into a fresh
// namespace plus kubectl rollout status of each of the 30 Deployments,
// then removes the namespace (not timed).
func timeKubectlApply(b *testing.B, manifests string) time.Duration {
	b.Helper()
	ns := kubeNamespace(b)
	start := time.Now()
	kubeRun(b, "kubectl", "apply", "-n", ns, "-f", manifests)
	for i := 1; i <= 30; i++ {
		kubeRun(b, "kubectl", "rollout", "status", "-n", ns, fmt.Sprintf("deployment/s%d", i), "--timeout=5m")
	}
	took := time.Since(start)
	kubeRun(b, "kubectl", "delete", "namespace", ns, "--wait=true", "--timeout=2m")
	return took
}

// kubeNamespace creates a namespace of the benchmark's and registers its
// removal (for a benchmark that fails half way).
func kubeNamespace(b *testing.B) string {
	b.Helper()
	ns := "dsbench-" + randID()
	kubeRun(b, "kubectl", "create", "namespace", ns)
	b.Cleanup(func() {
		_ = exec.Command("kubectl", "delete", "namespace", ns, "--ignore-not-found", "--wait=true", "--timeout=2m").Run()
	})
	return ns
}

// timeKube runs a command and returns its wall time.
func timeKube(b *testing.B, name string, args ...string) time.Duration {
	b.Helper()
	start := time.Now()
	kubeRun(b, name, args...)
	return time.Since(start)
}

// kubeRun runs a command and returns its stdout; it fails the benchmark
// with its output when it fails.
func kubeRun(b *testing.B, name string, args ...string) string {
	b.Helper()
	cmd := exec.Command(name, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}
