//go:build linux

package bench

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	// benchImage is FROM scratch plus busybox-static, no CMD (see e2e/images_test.go).
	benchImage = "devstack-test/busybox:1"
	idleCmd    = "trap 'exit 0' TERM; while :; do sleep 1; done & wait"
	readyCmd   = "trap 'exit 0' TERM; touch /ready; while :; do sleep 1; done & wait"
	httpdCmd   = "trap 'exit 0' TERM; httpd -f -p 80 & wait"
	// cmdTimeout bounds one devstack invocation.
	cmdTimeout = 3 * time.Minute
)

// workloadB is 30 idle services in three layers of ten: lNsK (N > 1)
// depends on l(N-1)sK with condition service_started.
func workloadB() string {
	var y strings.Builder
	y.WriteString("services:\n")
	for layer := 1; layer <= 3; layer++ {
		for i := 1; i <= 10; i++ {
			fmt.Fprintf(&y, "  l%ds%d:\n    image: %s\n    command: %s\n",
				layer, i, benchImage, flow("sh", "-c", idleCmd))
			if layer > 1 {
				fmt.Fprintf(&y, "    depends_on:\n      l%ds%d:\n        condition: service_started\n",
					layer-1, i)
			}
		}
	}
	return y.String()
}

// workloadA is db (healthcheck, healthy after the first check), web
// (busybox httpd published on 127.0.0.1:port, waits for db to be healthy)
// and cache (with a named volume).
func workloadA(port int) string {
	return fmt.Sprintf(`services:
  db:
    image: %[1]s
    command: %[2]s
    healthcheck:
      test: ["CMD", "test", "-f", "/ready"]
      interval: 1s
      timeout: 1s
      retries: 30
  web:
    image: %[1]s
    command: %[3]s
    ports: ["127.0.0.1:%[5]d:80"]
    depends_on:
      db:
        condition: service_healthy
  cache:
    image: %[1]s
    command: %[4]s
    volumes: ["cachedata:/data"]
volumes:
  cachedata: {}
`, benchImage, flow("sh", "-c", readyCmd), flow("sh", "-c", httpdCmd), flow("sh", "-c", idleCmd), port)
}

// flow renders a YAML flow sequence of double-quoted strings.
func flow(items ...string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// idleServices is a compose file of n independent idle services s1..sn of
// benchImage, each with the extra keys given (indented as the service's).
func idleServices(n int, extra string) string {
	var y strings.Builder
	y.WriteString("services:\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&y, "  s%d:\n    image: %s\n    command: %s\n%s", i, benchImage, flow("sh", "-c", idleCmd), extra)
	}
	return y.String()
}

// project is one compose project in a temp dir with a unique name.
type project struct {
	name, file string
}

// newProject writes yaml into a temp dir and registers the removal of
// everything labelled with the project's name when the benchmark ends.
func newProject(b *testing.B, yaml string) *project {
	b.Helper()
	p := &project{name: "dsbench-" + randID()}
	p.file = filepath.Join(b.TempDir(), "compose.yaml")
	if err := os.WriteFile(p.file, []byte(yaml), 0o644); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { p.remove(b) })
	return p
}

// run runs `devstack -f FILE -p NAME args...` and returns its wall time,
// failing the benchmark (with the output) if it fails.
func (p *project) run(b *testing.B, args ...string) time.Duration {
	b.Helper()
	return runDevstack(b, "", p.flags(args)...).wall
}

// flags puts the project's -f and -p before args.
func (p *project) flags(args []string) []string {
	return append([]string{"-f", p.file, "-p", p.name}, args...)
}

// median runs the same command n times (see medianRun).
func (p *project) median(b *testing.B, n int, args ...string) sample {
	b.Helper()
	return medianRun(b, n, "", p.flags(args)...)
}

// sample is what one devstack process cost: wall time, CPU time (user +
// system: what other load on the machine does not inflate) and peak
// resident memory (the child's rusage maxrss).
type sample struct {
	wall, cpu time.Duration
	rssMiB    float64
	out       string // what it printed, stdout and stderr
}

// runDevstack runs devstack with args in dir ("": the current directory),
// failing the benchmark (with the output) if it fails.
func runDevstack(b *testing.B, dir string, args ...string) sample {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cmdTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, devstackBin, args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	if err != nil {
		b.Fatalf("devstack %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	var rss float64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = float64(ru.Maxrss) / 1024 // KiB on Linux
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return sample{wall: took, cpu: cpu, rssMiB: rss, out: out.String()}
}

// medianRun runs devstack n times and returns the median wall and CPU
// times and the highest peak RSS of the runs.
func medianRun(b *testing.B, n int, dir string, args ...string) sample {
	b.Helper()
	walls, cpus := make([]time.Duration, n), make([]time.Duration, n)
	var rss float64
	for i := range walls {
		s := runDevstack(b, dir, args...)
		walls[i], cpus[i], rss = s.wall, s.cpu, max(rss, s.rssMiB)
	}
	return sample{wall: median(walls), cpu: median(cpus), rssMiB: rss}
}

// remove deletes whatever is left labelled with the project (idempotent).
func (p *project) remove(b *testing.B) {
	if err := sweep(projectLabel + "=" + p.name); err != nil {
		b.Errorf("cleanup of %s: %v", p.name, err)
	}
	if err := removeSnapshots(p.name); err != nil {
		b.Errorf("cleanup of %s's snapshots: %v", p.name, err)
	}
}

// expectContainers fails unless the project has want running containers.
func (p *project) expectContainers(b *testing.B, want int) {
	b.Helper()
	got, err := countRunning(projectLabel + "=" + p.name)
	if err != nil {
		b.Fatal(err)
	}
	if got != want {
		b.Fatalf("project %s: %d running containers, want %d", p.name, got, want)
	}
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(b *testing.B) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// randID returns 8 random hex digits.
func randID() string {
	buf := make([]byte, 4)
	if _, err := rand.Read(buf); err != nil {
		panic(err)
	}
	return hex.EncodeToString(buf)
}
