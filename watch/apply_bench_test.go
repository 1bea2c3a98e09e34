package watch

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
		w := newRootWriter(r)
		for i := range 2000 {
			it := item{rel: fmt.Sprintf("www/burst/f%04d.txt", i), mode: 0o644, mtime: now, body: strings.NewReader("file\n")}
			if err := w.apply(it); err != nil {
				b.Fatal(err)
			}
		}
		w.close()
		r.Close()
	}
}
