//go:build linux

package bench

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// removeSnapshots removes the project's directory from devstack's snapshot
// store (the volume devstack-snapshots of this machine's engine), where
// down -v's safety snapshots and those of BenchmarkSnapshot go.
func removeSnapshots(project string) error {
	out, err := exec.Command("docker", "volume", "inspect", "-f", "{{.Mountpoint}}", "devstack-snapshots").Output()
	if err != nil {
		return nil // no store
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), project)
	if _, err := os.Stat(dir); err != nil {
		return nil
	}
	return os.RemoveAll(dir)
}

// BenchmarkSnapshot compares devstack snapshot save and restore of a named
// volume holding about 200 MB of mixed data (80 MB random, about 80 MB of
// text, 500 directories of small files) with the manual way, three rounds
// alternating which goes first, medians:
//
//   - save: `docker run --rm --log-driver none -v VOL:/v IMAGE tar -C /v
//     -cf - . | zstd -T0 -1 > FILE` against `devstack snapshot save` (which
//     also pauses the container that mounts the volume, checksums and
//     fsyncs). Target: <= 1.2x. --log-driver none: without it the engine
//     also writes the tar into the container's json-file log (6 GB for the
//     1 GB volume: minutes of the engine's CPU and as much disk a round),
//     which only makes the baseline slower; the attach stream still
//     carries the tar.
//   - restore: `zstd -dc FILE | docker run -i --rm -v VOL:/v IMAGE sh -c
//     'rm -rf /v/* && tar -C /v -xf -'` against `devstack snapshot restore`
//     (which unpacks beside the volume checking the checksum in the same
//     read, stops the container for the swap and starts it
//     again). Target: <= 1.2x.
//
// The container is a writer appending a line every 50 ms: the pause it saw
// during devstack's save (the longest gap in its lines) is reported beside
// the pause devstack says it held.
func BenchmarkSnapshot(b *testing.B) {
	fill := `cd /data && head -c 83886080 /dev/urandom > rand && seq 1 11000000 > seq.txt && mkdir small && cd small &&
i=0; while [ $i -lt 500 ]; do mkdir d$i; j=0; while [ $j -lt 10 ]; do head -c 4096 /dev/urandom > d$i/r$j; seq $((i*1000)) $((i*1000+900)) > d$i/t$j; j=$((j+1)); done; i=$((i+1)); done`
	benchSnapshot(b, fill, "~200 MB", "", false)
}

// BenchmarkSnapshot1G is BenchmarkSnapshot with about 1 GB of mixed data
// (400 MB random, about 500 MB of text, the same small files), and a
// third baseline: tar | zstd on the host, of the volume's directory (the
// local engine's; skipped elsewhere).
func BenchmarkSnapshot1G(b *testing.B) {
	fill := `cd /data && head -c 419430400 /dev/urandom > rand && seq 1 60000000 > seq.txt && mkdir small && cd small &&
i=0; while [ $i -lt 500 ]; do mkdir d$i; j=0; while [ $j -lt 10 ]; do head -c 4096 /dev/urandom > d$i/r$j; seq $((i*1000)) $((i*1000+900)) > d$i/t$j; j=$((j+1)); done; i=$((i+1)); done`
	benchSnapshot(b, fill, "~1 GB", "1g-", true)
}

func benchSnapshot(b *testing.B, fill, size, key string, hostSide bool) {
	yaml := "services:\n  db:\n    image: " + benchImage + "\n    command: [\"sh\", \"-c\", \"" + writerCmd + "\"]\n" +
		"    volumes: [data:/data]\nvolumes:\n  data: {}\n"
	for range b.N {
		p := newProject(b, yaml)
		p.run(b, "up", "-d")
		if out, err := exec.Command("docker", "exec", p.name+"-db-1", "sh", "-c", fill).CombinedOutput(); err != nil {
			b.Fatalf("filling the volume: %v\n%s", err, out)
		}
		vol, file := p.name+"_data", filepath.Join(b.TempDir(), "manual.tar.zst")
		shell := func(script string) time.Duration {
			start := time.Now()
			if out, err := exec.Command("sh", "-c", script).CombinedOutput(); err != nil {
				b.Fatalf("%s: %v\n%s", script, err, out)
			}
			return time.Since(start)
		}
		manualSave := fmt.Sprintf("docker run --rm --log-driver none -v %s:/v %s tar -C /v -cf - . | zstd -T0 -1 -q > %s", vol, benchImage, file)
		manualRestore := fmt.Sprintf("zstd -dc %s | docker run -i --rm -v %s:/v %s sh -c 'rm -rf /v/* && tar -C /v -xf -'", file, vol, benchImage)
		var dsSave, dsRestore, manSave, manRestore, hostSave, held, gaps []time.Duration
		mountpoint, _ := exec.Command("docker", "volume", "inspect", "-f", "{{.Mountpoint}}", vol).Output()
		hostDir := strings.TrimSpace(string(mountpoint))
		if _, err := os.Stat(hostDir); err != nil {
			hostSide = false // a remote engine's volume
		}
		for round := range 3 {
			name := fmt.Sprintf("bench%d", round)
			if round%2 == 1 {
				manSave = append(manSave, shell(manualSave))
				manRestore = append(manRestore, shell(manualRestore))
			}
			before := uptime(b)
			save := runDevstack(b, "", p.flags([]string{"snapshot", "save", name})...)
			dsSave = append(dsSave, save.wall)
			held = append(held, pauseSaid(b, save.out))
			gaps = append(gaps, writerGap(b, p.name+"-db-1", before, uptime(b)))
			dsRestore = append(dsRestore, p.run(b, "snapshot", "restore", name))
			if round%2 == 0 {
				manSave = append(manSave, shell(manualSave))
				manRestore = append(manRestore, shell(manualRestore))
			}
			if hostSide {
				hostSave = append(hostSave, shell(fmt.Sprintf("tar -C %s -cf - . | zstd -T0 -1 -q > %s.host", hostDir, file)))
				os.Remove(file + ".host")
			}
			p.run(b, "snapshot", "rm", name)
		}
		os.Remove(file)
		s, ms_, r, mr := median(dsSave), median(manSave), median(dsRestore), median(manRestore)
		report(b, key+"snapshot-save-s", "snapshot save of "+size+" mixed data (median of 3)", s.Seconds(), "s", 0)
		report(b, key+"manual-save-s", "  docker run tar | zstd -T0 -1 (median of 3)", ms_.Seconds(), "s", 0)
		report(b, key+"snapshot-save-ratio", "  snapshot save / docker run tar | zstd", float64(s)/float64(ms_), "x", 1.2)
		report(b, key+"snapshot-pause-s", "  the pause save says it held (median of 3)", median(held).Seconds(), "s", 0)
		report(b, key+"writer-gap-s", "  the longest gap a writer appending every 50 ms saw during save (median of 3)", median(gaps).Seconds(), "s", 0)
		if len(hostSave) > 0 {
			hs := median(hostSave)
			report(b, key+"host-save-s", "  tar | zstd -T0 -1 on the host, of the volume's directory (median of 3)", hs.Seconds(), "s", 0)
			report(b, key+"snapshot-save-host-ratio", "  snapshot save / host tar | zstd", float64(s)/float64(hs), "x", 0)
		}
		report(b, key+"snapshot-restore-s", "snapshot restore of it (median of 3)", r.Seconds(), "s", 0)
		report(b, key+"manual-restore-s", "  zstd -dc | docker run -i tar -x (median of 3)", mr.Seconds(), "s", 0)
		report(b, key+"snapshot-restore-ratio", "  snapshot restore / zstd -dc | docker run tar -x", float64(r)/float64(mr), "x", 1.2)
	}
}

// writerCmd appends the host's uptime (/proc/uptime is not namespaced; it
// has 10 ms steps) to /data/w every 50 ms: a gap in its lines is a pause
// the writer saw.
const writerCmd = "trap 'exit 0' TERM; while :; do cut -d' ' -f1 /proc/uptime >> /data/w; usleep 50000; done & wait"

// uptime is the host's /proc/uptime, the writer's clock.
func uptime(b *testing.B) float64 {
	data, err := os.ReadFile("/proc/uptime")
	if err != nil {
		b.Fatal(err)
	}
	f, err := strconv.ParseFloat(strings.Fields(string(data))[0], 64)
	if err != nil {
		b.Fatal(err)
	}
	return f
}

// writerGap is the longest gap between two lines of the writer's file that
// overlaps the time from..to.
func writerGap(b *testing.B, container string, from, to float64) time.Duration {
	out, err := exec.Command("docker", "exec", container, "cat", "/data/w").Output()
	if err != nil {
		b.Fatalf("reading the writer's lines: %v", err)
	}
	var longest, prev float64
	for i, line := range strings.Fields(string(out)) {
		t, err := strconv.ParseFloat(line, 64)
		if err != nil {
			continue // a line cut short by a restore
		}
		if i > 0 && t >= from && prev <= to && t-prev > longest {
			longest = t - prev
		}
		prev = t
	}
	return time.Duration(longest * float64(time.Second))
}

// pauseSaid is the pause snapshot save's last line says it held.
func pauseSaid(b *testing.B, out string) time.Duration {
	m := regexp.MustCompile(`(?:paused|stopped) for ([0-9.]+[a-zµ]+)\)`).FindStringSubmatch(out)
	if m == nil {
		b.Fatalf("snapshot save said no pause:\n%s", out)
	}
	d, err := time.ParseDuration(m[1])
	if err != nil {
		b.Fatal(err)
	}
	return d
}
