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

	"golang.org/x/sync/errgroup"
)

// BenchmarkLs times `devstack ls` with 20 more projects on the engine (one
// container each, brought up for it), from a directory without a compose
// file. Target: <= 100 ms.
func BenchmarkLs(b *testing.B) {
	for range b.N {
		var eg errgroup.Group
		eg.SetLimit(4)
		for range 20 {
			p := newProject(b, "services:\n  s:\n    image: "+benchImage+"\n    command: [\"sh\", \"-c\", \""+idleCmd+"\"]\n")
			eg.Go(func() error { p.run(b, "up", "-d"); return nil })
		}
		_ = eg.Wait()
		dir := b.TempDir()
		out, err := exec.Command(devstackBin, "ls", "-q", "--filter", "name=^dsbench-").Output()
		if n := strings.Count(string(out), "\n"); err != nil || n < 20 {
			b.Fatalf("devstack ls: %d bench projects listed, want 20 or more (%v)", n, err)
		}
		ls := medianRun(b, 9, dir, "ls")
		report(b, "ls20-ms", "ls, 20+ projects on the engine (median of 9)", ms(ls.wall), "ms", 100)
		report(b, "ls20-cpu-ms", "  its CPU time (median)", ms(ls.cpu), "ms", 0)
	}
}

// buildYAML is three independent services, each a Dockerfile whose RUN
// waits a second (as a download or a compile would) in its own context.
const buildYAML = `services:
  one:
    build: {context: one, args: {BASE: ` + benchImage + `}}
  two:
    build: {context: two, args: {BASE: ` + benchImage + `}}
  three:
    build: {context: three, args: {BASE: ` + benchImage + `}}
`

// BenchmarkBuildParallel times `build --no-cache` of three independent
// services against building them one after another (three `build
// --no-cache SERVICE` runs), alternating which goes first; medians of 3.
// Target: parallel faster than sequential.
func BenchmarkBuildParallel(b *testing.B) {
	for range b.N {
		p := newProject(b, buildYAML)
		dir := filepath.Dir(p.file)
		for _, s := range []string{"one", "two", "three"} {
			df := "ARG BASE\nFROM ${BASE}\nRUN sleep 1 && echo " + s + " > /name\n"
			if err := os.MkdirAll(filepath.Join(dir, s), 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, s, "Dockerfile"), []byte(df), 0o644); err != nil {
				b.Fatal(err)
			}
		}
		b.Cleanup(func() {
			_ = exec.Command("docker", "rmi", "-f", p.name+"-one", p.name+"-two", p.name+"-three").Run()
		})
		p.run(b, "build") // warm: base image and contexts in the engine's caches
		var par, seq []time.Duration
		for round := range 3 {
			if round%2 == 1 {
				par = append(par, p.run(b, "build", "--no-cache"))
			}
			var one time.Duration
			for _, s := range []string{"one", "two", "three"} {
				one += p.run(b, "build", "--no-cache", s)
			}
			seq = append(seq, one)
			if round%2 == 0 {
				par = append(par, p.run(b, "build", "--no-cache"))
			}
		}
		b.Logf("build: parallel %v, one after another %v", par, seq)
		pm, sm := median(par), median(seq)
		report(b, "buildpar-ms", "build --no-cache, 3 independent services (median of 3)", ms(pm), "ms", 0)
		report(b, "buildseq-ms", "  the same one after another (median of 3)", ms(sm), "ms", 0)
		report(b, "buildpar/seq", fmt.Sprintf("build: parallel / one after another (builder: %s)", builderName()), pm.Seconds()/sm.Seconds(), "x", 0.99)
	}
}

// builderName says which builder the runs used, from DOCKER_BUILDKIT.
func builderName() string {
	if v := os.Getenv("DOCKER_BUILDKIT"); v != "" {
		return "DOCKER_BUILDKIT=" + v
	}
	return "engine default"
}
