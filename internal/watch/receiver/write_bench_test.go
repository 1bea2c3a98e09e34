package receiver

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// BenchmarkApplyItems writes a 2000-file batch (a git checkout) under an
// os.Root the way the direct path and the receiver do.
func BenchmarkApplyItems(b *testing.B) {
	for range b.N {
		dir := b.TempDir()
		r, err := os.OpenRoot(dir)
		if err != nil {
			b.Fatal(err)
		}
		now := time.Now()
		w := NewWriter(r)
		for i := range 2000 {
			it := Item{Rel: fmt.Sprintf("www/burst/f%04d.txt", i), Mode: 0o644, MTime: now, Body: strings.NewReader("file\n")}
			if err := w.Apply(it); err != nil {
				b.Fatal(err)
			}
		}
		w.Close()
		r.Close()
	}
}
