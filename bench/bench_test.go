//go:build linux

// Package bench measures the real devstack binary against a real Docker
// engine and prints ratios measured in one run (`make bench`).
//
// Measured, with targets:
//
//   - up -d of 30 services (workload B: three layers of ten, each service of
//     layers 2 and 3 depending on one of the layer before) against the raw
//     engine baseline: one network plus the same 30 containers created and
//     started concurrently through the Docker API, no ordering. Three rounds,
//     alternating which goes first; medians. Target: devstack/raw <= 1.15x.
//   - down of those 30 services (median of 3). Target: <= 3 s.
//   - no-op up -d on an up-to-date stack, workloads A and B (median of 5).
//     Target: <= 70 ms for B, <= 100 ms for A.
//   - ps -p on 30 services, in a directory without a compose file (median
//     of 9). Target: <= 30 ms, peak RSS <= 20 MiB.
//   - version with the engine answering (median of 9). Target: <= 20 ms.
//   - start-up alone (startup_test.go): version and ps in the directory of
//     a project with no containers (medians of 21). Targets: <= 20 ms and
//     <= 30 ms.
//   - ls with 20 more projects on the engine (median of 9). Target: <= 100 ms.
//   - build --no-cache of 3 independent services against the same builds
//     one after another (medians of 3). Target: the ratio below 1.
//   - run --rm SERVICE true on a running stack against docker run --rm of
//     the same image (medians of 5). Target: <= 1.3x.
//   - save and load of a 3-image project against docker save|zstd and
//     zstd -dc|docker load (saveload_test.go). Targets: size <= 1.0x,
//     time <= 1.1x each.
//   - deploy of 30 independent services to a one-node swarm of its own
//     (deploy_test.go; root) until converged, against docker stack deploy
//     plus polling until every service runs. Target: <= 1.0x. No-op deploy
//     (median of 5). Target: <= 300 ms.
//   - workload A (db with a healthcheck, web waiting for it to be healthy
//     with a published port, cache with a named volume): cold up -d and
//     down -v. Informational.
//
// Times are wall times of the whole devstack process, as a user sees them;
// peak RSS is the process's maxrss from its rusage.
// Every metric is reported with b.ReportMetric and again in a summary table
// printed at the end. A missed target is reported as MISS; it never fails
// the run. Each run uses fresh projects named dsbench-<random> and removes
// everything labelled with them (or with its raw baseline label).
package bench

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/devstack/devstack/internal/enginetest"
)

// devstackBin is the binary under test: ../bin/devstack, or a fresh build.
var devstackBin string

// With no engine answering, plain `go test` skips the package with one line
// saying so; make bench sets DEVSTACK_E2E=1, and then a Docker engine that
// does not answer fails it (internal/enginetest).
func TestMain(m *testing.M) {
	os.Exit(enginetest.Main("bench", "make bench", func() int { return runMain(m) }))
}

func runMain(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "devstack-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	if err := prepare(tmp); err != nil {
		fmt.Fprintln(os.Stderr, "bench: setup failed:", err)
		return 1
	}
	// The router is on by default, and is one container for the engine:
	// the benchmarks measure devstack without it (DEVSTACK_ROUTER=0 unless
	// set), and BenchmarkRouter measures what it adds to the same commands.
	if _, set := os.LookupEnv("DEVSTACK_ROUTER"); !set {
		os.Setenv("DEVSTACK_ROUTER", "0")
	}
	load := loadAvg()
	code := m.Run()
	printSummary(os.Stdout)
	fmt.Printf("load average (1 min) at start %s, at end %s, on %d CPUs\n", load, loadAvg(), runtime.NumCPU())
	return code
}

// prepare connects to the engine, finds or builds devstack and makes sure
// the test image exists.
func prepare(tmp string) error {
	if err := connect(); err != nil {
		return err
	}
	bin, err := filepath.Abs(filepath.Join("..", "bin", "devstack"))
	if err != nil {
		return err
	}
	if _, err := os.Stat(bin); err != nil {
		bin = filepath.Join(tmp, "devstack")
		gen := exec.Command("go", "generate", "../internal/watch/inject") // the receivers, as make build
		if out, err := gen.CombinedOutput(); err != nil {
			return fmt.Errorf("go generate: %v\n%s", err, out)
		}
		build := exec.Command("go", "build", "-o", tmp+string(filepath.Separator), "..", "../cmd/devstack-buildkit")
		build.Env = append(os.Environ(), "CGO_ENABLED=0") // static, as make build
		if out, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	devstackBin = bin
	return ensureImage(tmp)
}

// ensureImage builds benchImage like e2e/images_test.go if it is missing.
func ensureImage(tmp string) error {
	if exec.Command("docker", "image", "inspect", benchImage).Run() == nil {
		return nil
	}
	dir := filepath.Join(tmp, "image")
	busybox, err := os.ReadFile("/bin/busybox")
	if err != nil {
		return fmt.Errorf("%s missing and no /bin/busybox to build it: %w", benchImage, err)
	}
	df := "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "busybox"), busybox, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(df), 0o644); err != nil {
		return err
	}
	cmd := exec.Command("docker", "build", "-q", "-t", benchImage, dir)
	cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building %s: %v\n%s", benchImage, err, out)
	}
	return nil
}

// BenchmarkUpDown30 compares devstack up -d of workload B with the raw
// engine baseline, and times devstack down of the same stack.
func BenchmarkUpDown30(b *testing.B) {
	for range b.N {
		var ups, downs, rawUps, rawDowns []time.Duration
		raw := func() {
			up, down := timeRaw30(b)
			rawUps, rawDowns = append(rawUps, up), append(rawDowns, down)
		}
		for round := range 3 {
			if round%2 == 1 {
				raw()
			}
			up, down := timeUpDown30(b)
			ups, downs = append(ups, up), append(downs, down)
			if round%2 == 0 {
				raw()
			}
		}
		b.Logf("up: devstack %v, raw %v; down: devstack %v, raw %v", ups, rawUps, downs, rawDowns)
		up, rawUp := median(ups), median(rawUps)
		report(b, "up30-ms", "up -d, 30 services (median of 3)", ms(up), "ms", 0)
		report(b, "raw30-ms", "  raw engine: create+start 30 (median of 3)", ms(rawUp), "ms", 0)
		report(b, "up30/raw", "up -d 30 services / raw engine", up.Seconds()/rawUp.Seconds(), "x", 1.15)
		report(b, "down30-s", "down, 30 services (median of 3)", median(downs).Seconds(), "s", 3)
		report(b, "rawdown30-s", "  raw engine: stop+rm 30 at once (median of 3)", median(rawDowns).Seconds(), "s", 0)
	}
}

// timeUpDown30 brings workload B up and down in a fresh project.
func timeUpDown30(b *testing.B) (up, down time.Duration) {
	p := newProject(b, workloadB())
	up = p.run(b, "up", "-d")
	p.expectContainers(b, 30)
	down = p.run(b, "down")
	p.expectContainers(b, 0)
	p.remove(b)
	return up, down
}

// BenchmarkSteady30 times no-op up -d and ps on an up-to-date workload B,
// with what they cannot avoid: starting the process and loading the
// compose file (config -q, no engine call) and one container list call;
// and version, which only asks the engine. ps -p runs in a directory
// without a compose file, as commands that load none do; its peak RSS and
// version's are reported too.
func BenchmarkSteady30(b *testing.B) {
	for range b.N {
		p := newProject(b, workloadB())
		p.run(b, "up", "-d")
		p.expectContainers(b, 30)
		noop := p.median(b, 5, "up", "-d")
		ps := medianRun(b, 9, b.TempDir(), "-p", p.name, "ps")
		version := medianRun(b, 9, b.TempDir(), "version")
		load := p.median(b, 5, "config", "-q")
		list, engineVersion := make([]time.Duration, 5), make([]time.Duration, 9)
		for i := range list {
			list[i] = listTime(b, projectLabel+"="+p.name)
		}
		for i := range engineVersion {
			engineVersion[i] = versionTime(b)
		}
		p.expectContainers(b, 30)
		p.run(b, "down")
		report(b, "noop30-ms", "no-op up -d, 30 services (median of 5)", ms(noop.wall), "ms", 70)
		report(b, "noop30-cpu-ms", "  its CPU time, user+system (median)", ms(noop.cpu), "ms", 0)
		report(b, "noop30-rss-MiB", "  its peak RSS", noop.rssMiB, "MiB", 0)
		report(b, "ps30-ms", "ps -p, 30 services, no compose file (median of 9)", ms(ps.wall), "ms", 30)
		report(b, "ps30-cpu-ms", "  its CPU time (median)", ms(ps.cpu), "ms", 0)
		report(b, "ps30-rss-MiB", "  its peak RSS", ps.rssMiB, "MiB", 20)
		report(b, "version-ms", "version, engine answering (median of 9)", ms(version.wall), "ms", 20)
		report(b, "version-cpu-ms", "  its CPU time (median)", ms(version.cpu), "ms", 0)
		report(b, "version-rss-MiB", "  its peak RSS", version.rssMiB, "MiB", 0)
		report(b, "engineversion-ms", "  engine: GET /version alone (median of 9)", ms(median(engineVersion)), "ms", 0)
		report(b, "config30-ms", "  devstack config -q: process+load (median of 5)", ms(load.wall), "ms", 0)
		report(b, "list30-ms", "  engine: list 30 containers (median of 5)", ms(median(list)), "ms", 0)
	}
}

// BenchmarkWorkloadA times cold up -d, no-op up -d and down -v of workload A.
func BenchmarkWorkloadA(b *testing.B) {
	for range b.N {
		port := freePort(b)
		p := newProject(b, workloadA(port))
		up := p.run(b, "up", "-d")
		p.expectContainers(b, 3)
		if err := httpAnswers(port); err != nil {
			b.Fatalf("web on port %d: %v", port, err)
		}
		noop := p.median(b, 5, "up", "-d").wall
		down := p.run(b, "down", "-v")
		p.expectContainers(b, 0)
		report(b, "upA-ms", "workload A: cold up -d (db healthy first)", ms(up), "ms", 0)
		report(b, "noopA-ms", "workload A: no-op up -d (median of 5)", ms(noop), "ms", 100)
		report(b, "downA-ms", "workload A: down -v", ms(down), "ms", 0)
	}
}

// httpAnswers checks that something answers HTTP on 127.0.0.1:port.
func httpAnswers(port int) error {
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(fmt.Sprintf("http://127.0.0.1:%d/", port))
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// result is one reported measurement; target 0 means informational.
type result struct {
	what, unit    string
	value, target float64
	atLeast       bool // the target is a floor (a throughput ratio), not a ceiling
}

var (
	resultsMu sync.Mutex
	results   []result
)

// report records a measurement as a benchmark metric, logs it with its
// verdict and keeps it for the summary table.
func report(b *testing.B, metric, what string, value float64, unit string, target float64) {
	record(b, metric, result{what: what, unit: unit, value: value, target: target})
}

// reportAtLeast is report for a value whose target is a floor.
func reportAtLeast(b *testing.B, metric, what string, value float64, unit string, target float64) {
	record(b, metric, result{what: what, unit: unit, value: value, target: target, atLeast: true})
}

func record(b *testing.B, metric string, r result) {
	value, what, unit := r.value, r.what, r.unit
	b.ReportMetric(value, metric)
	b.ReportMetric(0, "ns/op") // the wall time of a whole benchmark means nothing here
	b.Logf("%s: target: %s  measured: %s  %s", what, r.targetText(), format(value, unit), r.verdict())
	resultsMu.Lock()
	defer resultsMu.Unlock()
	results = append(results, r)
}

func (r result) targetText() string {
	switch {
	case r.target == 0:
		return "-"
	case r.atLeast:
		return ">= " + format(r.target, r.unit)
	}
	return "<= " + format(r.target, r.unit)
}

func (r result) verdict() string {
	switch {
	case r.target == 0:
		return "info"
	case r.atLeast && r.value >= r.target, !r.atLeast && r.value <= r.target:
		return "OK"
	}
	return "MISS"
}

func format(v float64, unit string) string {
	switch unit {
	case "x":
		return fmt.Sprintf("%.2fx", v)
	case "s":
		return fmt.Sprintf("%.2f s", v)
	case "MiB":
		return fmt.Sprintf("%.1f MiB", v)
	case "%":
		return fmt.Sprintf("%.2f %%", v)
	}
	return fmt.Sprintf("%.0f %s", v, unit)
}

// printSummary prints every result of the run as a table.
func printSummary(w io.Writer) {
	resultsMu.Lock()
	defer resultsMu.Unlock()
	if len(results) == 0 {
		return
	}
	fmt.Fprintln(w, "\ndevstack benchmark summary (all numbers from this run)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "measurement\ttarget\tmeasured\tresult")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.what, r.targetText(), format(r.value, r.unit), r.verdict())
	}
	tw.Flush()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// median returns the middle value (the upper one of an even count).
func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// loadAvg is the 1-minute load average: other work on the machine skews
// every number here.
func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(data))[0]
}
