//go:build linux

package bench

import (
	"bytes"
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

// Watch in the background and by polling (issue 23): `up -d --watch`
// leaves a watcher process; idle, it should cost about no CPU (target:
// <= 0.5% of one CPU over 10 s) and hold <= 30 MiB resident. Then a
// watch that polls every 500 ms (--poll) times 20 atomic saves from save
// to served: target median <= interval + 100 ms.
func BenchmarkWatchBackground(b *testing.B) {
	const idle, poll = 10 * time.Second, 500 * time.Millisecond
	for range b.N {
		port := freePort(b)
		p := newProject(b, watchYAML(port))
		site := filepath.Join(filepath.Dir(p.file), "site")
		if err := os.MkdirAll(site, 0o755); err != nil {
			b.Fatal(err)
		}
		p.run(b, "up", "-d", "--watch")
		pid := watcherPID(b, p)
		url := fmt.Sprintf("http://127.0.0.1:%d/", port)
		saveLatencies(b, site, url, 1) // it watches
		cpu0 := procCPU(b, pid)
		time.Sleep(idle)
		cpu := procCPU(b, pid) - cpu0
		report(b, "watch-bg-idle-cpu-pct", "background watcher, idle: CPU over 10 s", 100*cpu.Seconds()/idle.Seconds(), "%", 0.5)
		report(b, "watch-bg-rss-mib", "background watcher: resident memory", procRSSMiB(b, pid), "MiB", 30)
		p.run(b, "watch", "--stop")

		w := startWatch(b, p, []string{"DEVSTACK_WATCH_POLL=" + poll.String()})
		lat := saveLatencies(b, site, url, watchWrites)
		w.stop(b)
		b.Logf("save to served, polling every %v: %v", poll, lat)
		report(b, "watch-poll-median-ms", "watch --poll=500ms: save to served, median of 20 atomic saves", ms(median(lat)), "ms", ms(poll+100*time.Millisecond))
		p.run(b, "down")
	}
}

// watcherPID is the pid `watch --status` gives.
func watcherPID(b *testing.B, p *project) int {
	b.Helper()
	out, err := exec.Command(devstackBin, p.flags([]string{"watch", "--status"})...).Output()
	m := regexp.MustCompile(`pid (\d+),`).FindStringSubmatch(string(out))
	if err != nil || m == nil {
		b.Fatalf("watch --status: %v\n%s", err, out)
	}
	pid, _ := strconv.Atoi(m[1])
	return pid
}

// procCPU is the user + system time process pid used so far (/proc/PID/stat,
// in clock ticks of 10 ms).
func procCPU(b *testing.B, pid int) time.Duration {
	b.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	fields := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+2:]))
	utime, _ := strconv.Atoi(fields[11])
	stime, _ := strconv.Atoi(fields[12])
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// procRSSMiB is process pid's resident memory now.
func procRSSMiB(b *testing.B, pid int) float64 {
	b.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return float64(kb) / 1024
		}
	}
	b.Fatalf("no VmRSS for pid %d", pid)
	return 0
}
