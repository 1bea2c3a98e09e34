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
//   - save: `docker run --rm -v VOL:/v IMAGE tar -C /v -cf - . | zstd -T0
//     -1 > FILE` against `devstack snapshot save` (which also pauses the
//     container that mounts the volume, checksums and fsyncs). Target:
//     <= 1.2x.
//   - restore: `zstd -dc FILE | docker run -i --rm -v VOL:/v IMAGE sh -c
//     'rm -rf /v/* && tar -C /v -xf -'` against `devstack snapshot restore`
//     (which unpacks beside the volume checking the checksum in the same
//     read, stops the container for the swap and starts it
//     again). Target: <= 1.2x.
//
// The pause the container saw during devstack's save is reported beside.
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
	yaml := "services:\n  db:\n    image: " + benchImage + "\n    command: [\"sh\", \"-c\", \"" + idleCmd + "\"]\n" +
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
		manualSave := fmt.Sprintf("docker run --rm -v %s:/v %s tar -C /v -cf - . | zstd -T0 -1 -q > %s", vol, benchImage, file)
		manualRestore := fmt.Sprintf("zstd -dc %s | docker run -i --rm -v %s:/v %s sh -c 'rm -rf /v/* && tar -C /v -xf -'", file, vol, benchImage)
		var dsSave, dsRestore, manSave, manRestore, hostSave []time.Duration
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
			dsSave = append(dsSave, p.run(b, "snapshot", "save", name))
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
