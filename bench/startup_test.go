//go:build linux

package bench

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkStartup times devstack processes that have almost nothing to
// do, so what is measured is mostly starting one: version (one GET
// /version) and ps in the directory of a project with no containers (the
// compose file loaded, its validation remembered since the first run, one
// container list). Medians of 21. Targets: version <= 20 ms, ps <= 30 ms.
func BenchmarkStartup(b *testing.B) {
	for range b.N {
		p := newProject(b, "")
		yaml := "name: " + p.name + "\nservices:\n  s:\n    image: " + benchImage + "\n"
		if err := os.WriteFile(p.file, []byte(yaml), 0o644); err != nil {
			b.Fatal(err)
		}
		dir := filepath.Dir(p.file)
		runDevstack(b, dir, "ps") // validates the file once
		version := medianRun(b, 21, b.TempDir(), "version")
		ps := medianRun(b, 21, dir, "ps")
		report(b, "startup-version-ms", "start-up: version (median of 21)", ms(version.wall), "ms", 20)
		report(b, "startup-version-cpu-ms", "  its CPU time (median)", ms(version.cpu), "ms", 0)
		report(b, "startup-ps-ms", "start-up: ps, project dir, no containers (median of 21)", ms(ps.wall), "ms", 30)
		report(b, "startup-ps-cpu-ms", "  its CPU time (median)", ms(ps.cpu), "ms", 0)
		report(b, "startup-ps-rss-MiB", "  its peak RSS", ps.rssMiB, "MiB", 0)
	}
}
