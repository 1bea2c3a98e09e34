//go:build linux

package bench

import (
	"os/exec"
	"testing"
	"time"
)

// BenchmarkRunRm times `run --rm SERVICE true` on a running stack (the
// service depends on a running one) against `docker run --rm` of the same
// image, five rounds alternating which goes first; medians. Target:
// devstack/docker <= 1.3x.
func BenchmarkRunRm(b *testing.B) {
	yaml := "services:\n  db:\n    image: " + benchImage + "\n    command: [\"sh\", \"-c\", \"" + idleCmd + "\"]\n" +
		"  web:\n    image: " + benchImage + "\n    depends_on: [db]\n    command: [\"sh\", \"-c\", \"" + idleCmd + "\"]\n"
	for range b.N {
		p := newProject(b, yaml)
		p.run(b, "up", "-d", "db")
		p.run(b, "run", "--rm", "web", "true") // warm: the project's network exists
		var ours, theirs, onNet []time.Duration
		dockerRun := func(into *[]time.Duration, args ...string) {
			start := time.Now()
			args = append(append([]string{"run", "--rm"}, args...), benchImage, "true")
			if out, err := exec.Command("docker", args...).CombinedOutput(); err != nil {
				b.Fatalf("docker run: %v\n%s", err, out)
			}
			*into = append(*into, time.Since(start))
		}
		for i := range 5 {
			if i%2 == 1 {
				dockerRun(&theirs)
			}
			ours = append(ours, p.run(b, "run", "--rm", "web", "true"))
			if i%2 == 0 {
				dockerRun(&theirs)
			}
			dockerRun(&onNet, "--network", p.name+"_default")
		}
		d, r := median(ours), median(theirs)
		report(b, "run-rm-ms", "run --rm SERVICE true on a running stack (median of 5)", ms(d), "ms", 0)
		report(b, "docker-run-rm-ms", "  docker run --rm of the same image (median of 5)", ms(r), "ms", 0)
		report(b, "docker-run-net-ms", "  docker run --rm on the project's network (median of 5)", ms(median(onNet)), "ms", 0)
		report(b, "run-rm-ratio", "  run --rm / docker run --rm", float64(d)/float64(r), "x", 1.3)
	}
}
