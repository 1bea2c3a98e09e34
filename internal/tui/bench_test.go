package tui

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/devstack/devstack/internal/feed"
)

// flood feeds 3 services x n lines into the model the way the feed does
// (interleaved, in batches of up to 4096) and draws a frame after each batch,
// as bubbletea would. It returns the model and the slowest Update+View.
func flood(tb testing.TB, n int) (Model, time.Duration) {
	m := New(Options{Project: "bench", Now: time.Now})
	m = send(m, tea.WindowSizeMsg{Width: 160, Height: 45})
	svcs := []string{"api", "db", "worker"}
	states := make([]feed.ContainerState, len(svcs))
	for i, s := range svcs {
		states[i] = feed.ContainerState{ID: s, Service: s, Number: 1, State: "running"}
	}
	m = send(m, BatchMsg{Full: true, States: states})
	var slowest time.Duration
	batch := make([]feed.LogLine, 0, 4096)
	flush := func() {
		start := time.Now()
		m = send(m, BatchMsg{Lines: batch})
		_ = m.View()
		slowest = max(slowest, time.Since(start))
		batch = make([]feed.LogLine, 0, 4096)
	}
	for i := 0; i < n; i++ {
		for _, s := range svcs {
			batch = append(batch, feed.LogLine{ContainerID: s, Service: s, Number: 1,
				Text: fmt.Sprintf("%s line %07d some typical log text with a little padding to look real", s, i)})
			if len(batch) == cap(batch) {
				flush()
			}
		}
	}
	flush()
	return m, slowest
}

// TestFloodKeepsLastLines: 3 x 100 000 lines; each service's ring holds
// exactly its last 10 000 lines, in order, none lost; the frame shows the
// very last lines written; a keypress is reflected in the next frame fast.
// (The slowest batch is logged, not asserted: on a loaded machine a GC
// pause lands in one of them.)
func TestFloodKeepsLastLines(t *testing.T) {
	const n = 100000
	m, slowest := flood(t, n)
	for _, s := range []string{"api", "db", "worker"} {
		r := m.logs.bySvc[s]
		if r.Len() != DefaultRingSize || r.Total() != n {
			t.Fatalf("%s: ring holds %d of %d", s, r.Len(), r.Total())
		}
		for i := 0; i < r.Len(); i++ {
			want := fmt.Sprintf("%s line %07d ", s, n-DefaultRingSize+i)
			if !strings.HasPrefix(r.At(i).Text, want) {
				t.Fatalf("%s: line %d is %q, want %q...", s, i, r.At(i).Text, want)
			}
		}
	}
	v := m.View()
	mustContain(t, v, fmt.Sprintf("worker | worker line %07d", n-1), fmt.Sprintf("db     | db line %07d", n-1))
	start := time.Now()
	m = keys(m, "pgup")
	v = m.View()
	took := time.Since(start)
	mustContain(t, v, "scrolled back")
	// Timings are logged, not asserted: this machine is shared and noisy
	// (the speed figures live in BenchmarkFlood).
	t.Logf("slowest batch (4096 lines) + frame: %v; keypress to frame: %v", slowest, took)
}

// BenchmarkFlood reports the cost of taking in and drawing 300 000 lines,
// and the memory the model keeps.
func BenchmarkFlood(b *testing.B) {
	b.ReportAllocs()
	var m Model
	for b.Loop() {
		m, _ = flood(b, 100000)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heapMiB")
	b.ReportMetric(float64(peakRSS())/(1<<10), "peakRSSMiB")
	runtime.KeepAlive(m)
}

// BenchmarkFrame is one View with 30 000 lines buffered.
func BenchmarkFrame(b *testing.B) {
	m, _ := flood(b, 100000)
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

// peakRSS is the process's peak resident set in KiB (Linux), 0 elsewhere.
func peakRSS() int {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			var kb int
			fmt.Sscanf(strings.TrimSpace(v), "%d", &kb)
			return kb
		}
	}
	return 0
}
