package ldm

import (
	"io"
	"os"
	"testing"
)

// BenchmarkEncode encodes LDM_BENCH_FILE (a file of some hundred MB, say
// an image export) to nowhere.
func BenchmarkEncode(b *testing.B) {
	name := os.Getenv("LDM_BENCH_FILE")
	if name == "" {
		b.Skip("LDM_BENCH_FILE is not set")
	}
	data, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for range b.N {
		w := NewWriter(io.Discard, 0)
		for p := data; len(p) > 0; p = p[min(len(p), 32<<10):] {
			w.Write(p[:min(len(p), 32<<10)])
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
