package watch

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func pollerOn(t *testing.T, root string, skip ...string) *Poller {
	t.Helper()
	p := NewPoller(time.Hour)
	p.SetHandlers(Handlers{Changed: func(...string) {}, Resync: func() {}, Problem: func(string) {},
		SkipDir: func(dir string) bool { return slices.Contains(skip, filepath.Base(dir)) }})
	if err := p.AddTree(root); err != nil {
		t.Fatal(err)
	}
	return p
}

func rels(root string, paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		r, _ := filepath.Rel(root, p)
		out[i] = filepath.ToSlash(r)
	}
	return out
}

func TestPollerReportsWhatTheWatcherWould(t *testing.T) {
	root := t.TempDir()
	put(t, filepath.Join(root, "a.txt"))
	put(t, filepath.Join(root, "sub", "b.txt"))
	put(t, filepath.Join(root, "node_modules", "m.js"))
	p := pollerOn(t, root, "node_modules")
	if got := p.Pass(); len(got) != 0 {
		t.Fatalf("nothing changed, got %v", got)
	}
	later := time.Now().Add(2 * time.Second)
	steps := []struct {
		name string
		do   func()
		want []string
	}{
		{"create", func() { put(t, filepath.Join(root, "new.txt")) }, []string{"new.txt"}},
		{"nested dirs", func() { put(t, filepath.Join(root, "x", "y", "z.txt")) }, []string{"x", "x/y", "x/y/z.txt"}},
		{"edit", func() {
			must(t, os.WriteFile(filepath.Join(root, "a.txt"), []byte("changed"), 0o644))
		}, []string{"a.txt"}},
		{"same size, new time", func() { must(t, os.Chtimes(filepath.Join(root, "a.txt"), later, later)) }, []string{"a.txt"}},
		{"chmod", func() { must(t, os.Chmod(filepath.Join(root, "a.txt"), 0o755)) }, []string{"a.txt"}},
		{"delete", func() { must(t, os.Remove(filepath.Join(root, "new.txt"))) }, []string{"new.txt"}},
		{"rename", func() {
			must(t, os.Rename(filepath.Join(root, "sub", "b.txt"), filepath.Join(root, "sub", "c.txt")))
		}, []string{"sub/b.txt", "sub/c.txt"}},
		{"atomic save", func() {
			tmp := filepath.Join(root, ".a.txt.new")
			must(t, os.WriteFile(tmp, []byte("saved"), 0o644))
			must(t, os.Rename(tmp, filepath.Join(root, "a.txt")))
		}, []string{"a.txt"}},
		{"delete a tree", func() { must(t, os.RemoveAll(filepath.Join(root, "x"))) }, []string{"x", "x/y", "x/y/z.txt"}},
		{"skipped and always ignored", func() {
			put(t, filepath.Join(root, "node_modules", "n.js"))
			put(t, filepath.Join(root, ".git", "HEAD"))
			put(t, filepath.Join(root, ".a.txt.swp"))
		}, nil},
	}
	for _, s := range steps {
		s.do()
		if got := rels(root, p.Pass()); !slices.Equal(got, s.want) {
			t.Errorf("%s: got %q, want %q", s.name, got, s.want)
		}
	}
}

func TestPollerDirOnlyAndRecreatedRoot(t *testing.T) {
	root := t.TempDir()
	put(t, filepath.Join(root, "conf", "app.conf"))
	put(t, filepath.Join(root, "conf", "deep", "x"))
	p := NewPoller(time.Hour)
	must(t, p.AddDir(filepath.Join(root, "conf")))
	put(t, filepath.Join(root, "conf", "deep", "y"))
	must(t, os.WriteFile(filepath.Join(root, "conf", "app.conf"), []byte("v2"), 0o644))
	if got := rels(root, p.Pass()); !slices.Equal(got, []string{"conf/app.conf"}) {
		t.Errorf("AddDir polls the directory's own entries only: got %q", got)
	}
	tree := filepath.Join(root, "site")
	put(t, filepath.Join(tree, "i.html"))
	must(t, p.AddTree(tree))
	must(t, os.RemoveAll(tree))
	if got := rels(root, p.Pass()); !slices.Equal(got, []string{"site", "site/i.html"}) {
		t.Errorf("root removed: got %q", got)
	}
	put(t, filepath.Join(tree, "i.html"))
	if got := rels(root, p.Pass()); !slices.Equal(got, []string{"site", "site/i.html"}) {
		t.Errorf("root made anew: got %q", got)
	}
	if !p.Has(tree) {
		t.Fatal("Has: the tree is polled")
	}
	p.Remove(tree)
	put(t, filepath.Join(tree, "j.html"))
	must(t, os.RemoveAll(filepath.Join(tree, "i.html")))
	if got := rels(root, p.Pass()); len(got) != 0 || p.Has(tree) {
		t.Errorf("after Remove: got %q, has %v", got, p.Has(tree))
	}
	must(t, os.WriteFile(filepath.Join(root, "conf", "app.conf"), []byte("v3"), 0o644))
	if got := rels(root, p.Pass()); !slices.Equal(got, []string{"conf/app.conf"}) {
		t.Errorf("the other directory is still polled: got %q", got)
	}
}

func TestPollerRunCallsChanged(t *testing.T) {
	root := t.TempDir()
	p := NewPoller(10 * time.Millisecond)
	c := newCollector()
	p.SetHandlers(Handlers{Changed: c.changed, SkipDir: func(string) bool { return false }, Resync: func() {}, Problem: func(string) {}})
	must(t, p.AddTree(root))
	stop := make(chan struct{})
	defer close(stop)
	go p.Run(stop)
	put(t, filepath.Join(root, "late.txt"))
	c.waitFor(t, filepath.Join(root, "late.txt"))
	must(t, p.Close())
}

// BenchmarkPollPass is one poll of a tree of 10,000 files in 100
// directories with nothing changed: the CPU a poll costs per interval.
func BenchmarkPollPass(b *testing.B) {
	root := b.TempDir()
	for d := 0; d < 100; d++ {
		dir := filepath.Join(root, "d"+strings.Repeat("x", d%7), "sub"+string(rune('a'+d%26))+string(rune('0'+d/26)))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		for f := 0; f < 100; f++ {
			if err := os.WriteFile(filepath.Join(dir, "f"+string(rune('a'+f%26))+string(rune('0'+f/26))+".txt"), []byte("x"), 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	p := NewPoller(time.Hour)
	if err := p.AddTree(root); err != nil {
		b.Fatal(err)
	}
	if n := len(p.seen); n < 10000 {
		b.Fatalf("tree has %d entries, want >= 10000", n)
	}
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		if changed := p.Pass(); len(changed) != 0 {
			b.Fatalf("changed: %v", changed[:1])
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/pass")
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// put writes a file, making its directories.
func put(t *testing.T, name string) {
	t.Helper()
	must(t, os.MkdirAll(filepath.Dir(name), 0o755))
	write(t, name)
}
