// Package enginetest decides whether a test package that needs a Docker
// engine (e2e, bench) runs.
//
// `go test ./...` with no engine passes: such a package prints one line
// saying how to run it, and skips. When an engine is expected it runs, and
// an engine that does not answer fails it: DEVSTACK_E2E set (make test,
// make bench and make test-podman set DEVSTACK_E2E=1), DEVSTACK_E2E_SWARM,
// DEVSTACK_E2E_K8S or DEVSTACK_E2E_RACES set (they ask for scripts that
// need one), or CI
// set. DEVSTACK_E2E=skip skips the package whatever answers.
package enginetest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/docker/docker/client"
)

// Main is a TestMain's body: it returns run's exit code, or prints the
// line saying why pkg skips and returns 0. howto is the command that runs
// pkg ("make test").
func Main(pkg, howto string, run func() int) int {
	if line := SkipLine(pkg, howto); line != "" {
		fmt.Println(line)
		return 0
	}
	return run()
}

// SkipLine is the one line saying why pkg skips, "" when it runs: it skips
// when DEVSTACK_E2E=skip, or when no engine answers and none is Expected.
func SkipLine(pkg, howto string) string {
	if os.Getenv("DEVSTACK_E2E") == "skip" {
		return pkg + ": skipped (DEVSTACK_E2E=skip); run " + howto + " with a Docker engine"
	}
	if Expected() {
		return ""
	}
	host, err := ping()
	if err == nil {
		return ""
	}
	return fmt.Sprintf("%s: no Docker engine at %s; start one (make engine) and run %s", pkg, host, howto)
}

// Expected says that the environment asks for the engine-bound tests, so
// that a missing engine is their failure, not a reason to skip them.
func Expected() bool {
	for _, k := range []string{"DEVSTACK_E2E", "DEVSTACK_E2E_SWARM", "DEVSTACK_E2E_K8S", "DEVSTACK_E2E_RACES"} {
		if os.Getenv(k) != "" {
			return true
		}
	}
	ci := os.Getenv("CI")
	return ci != "" && ci != "false" && ci != "0"
}

// ping asks the engine of DOCKER_HOST (and DOCKER_TLS_VERIFY,
// DOCKER_CERT_PATH; default unix:///var/run/docker.sock) whether it
// answers, and names it.
func ping() (host string, err error) {
	c, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return os.Getenv("DOCKER_HOST"), err
	}
	defer c.Close()
	host = c.DaemonHost()
	if path, ok := strings.CutPrefix(host, "unix://"); ok {
		// go test caches a result with the files the test looked at: a
		// skip is not reused once the engine's socket appears.
		_, _ = os.Stat(path)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = c.Ping(ctx)
	return host, err
}
