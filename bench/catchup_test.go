//go:build linux

package bench

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Catching up (issue 23): a synced tree of 10,000 files, 10 of them
// changed while no watch ran; `devstack watch` starts, compares the host's
// tree with the container's (size and time, then hashes where those
// differ) and copies the 10. Timed from the start of the process to its
// "watching" line (everything caught up), directly and through the
// receiver (DEVSTACK_WATCH_COPY=api). Target <= 2 s each. Also timed: the
// 10,000 when the container has none (the first watch), and a start where
// nothing changed, both for information.

const (
	catchUpFiles   = 10000
	catchUpChanged = 10
)

func catchUpYAML() string {
	return fmt.Sprintf(`services:
  web:
    image: %s
    command: %s
    develop:
      watch:
        - path: ./site
          action: sync
          target: /www
`, benchImage, flow("sh", "-c", "trap 'exit 0' TERM; mkdir -p /www; sleep 3600 & wait"))
}

// BenchmarkWatchCatchUp times catching up 10 changed files out of 10,000.
func BenchmarkWatchCatchUp(b *testing.B) {
	for range b.N {
		p := newProject(b, catchUpYAML())
		site := filepath.Join(filepath.Dir(p.file), "site")
		writeTree(b, site)
		p.run(b, "up", "-d")
		for i, way := range []syncWay{syncWays[0], syncWays[1]} {
			first := timeCatchUp(b, p, way.env, catchUpFiles)
			same := timeCatchUp(b, p, way.env, 0)
			tag := fmt.Sprintf("way%d", i)
			changeSome(b, site, tag)
			ten := timeCatchUp(b, p, way.env, catchUpChanged)
			checkChanged(b, p, tag)
			report(b, way.key+"-catchup-all-s", way.what+": catch-up of 10,000 files the container lacks", first.Seconds(), "s", 0)
			report(b, way.key+"-catchup-none-s", way.what+": catch-up of 10,000 files, none changed", same.Seconds(), "s", 0)
			report(b, way.key+"-catchup-10-s", way.what+": catch-up of 10,000 files, 10 changed", ten.Seconds(), "s", 2)
			p.run(b, "up", "-d", "--force-recreate") // the next way starts from an empty /www
		}
		p.run(b, "down")
	}
}

// writeTree writes 10,000 small files in 100 directories.
func writeTree(b *testing.B, site string) {
	b.Helper()
	for d := range 100 {
		dir := filepath.Join(site, fmt.Sprintf("d%02d", d))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		for f := range catchUpFiles / 100 {
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%03d.txt", f)), []byte(fmt.Sprintf("file %d %d\n", d, f)), 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// changeSome rewrites 10 files with the same size, so that only their
// times (and contents) tell: the tag, padded.
func changeSome(b *testing.B, site, tag string) {
	b.Helper()
	time.Sleep(1100 * time.Millisecond) // another second than the copies in the container
	for i := range catchUpChanged {
		name := filepath.Join(site, fmt.Sprintf("d%02d/f%03d.txt", i*7, i))
		if err := os.WriteFile(name, []byte(fmt.Sprintf("%-*s\n", len(fmt.Sprintf("file %d %d", i*7, i)), tag)), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}

func checkChanged(b *testing.B, p *project, tag string) {
	b.Helper()
	out, err := exec.Command(devstackBin, p.flags([]string{"exec", "-T", "web", "cat", "/www/d63/f009.txt"})...).CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), tag) {
		b.Fatalf("the changed file did not reach the container: %q %v", out, err)
	}
}

// timeCatchUp starts a watch, times it until it says it is watching,
// checks what its catch-up line said it copied, and stops it.
func timeCatchUp(b *testing.B, p *project, env []string, want int) time.Duration {
	b.Helper()
	start := time.Now()
	w := startWatch(b, p, env)
	took := time.Since(start)
	out := w.output()
	w.stop(b)
	re := regexp.MustCompile(`watch: web initial sync ([0-9]+) files? `)
	got := 0
	if m := re.FindStringSubmatch(out); m != nil {
		fmt.Sscan(m[1], &got)
	}
	if got != want {
		b.Fatalf("catch-up copied %d files, want %d:\n%s", got, want, out)
	}
	b.Logf("catch-up of %d: %v:\n%s", want, took, out)
	return took
}
