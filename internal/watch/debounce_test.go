package watch

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

type batches struct{ got [][]string }

func (b *batches) flush(batch []string) { b.got = append(b.got, batch) }

func TestDebounceQuietPeriod(t *testing.T) {
	clock := newFakeClock()
	var b batches
	d := NewDebouncer(clock, 50*time.Millisecond, time.Second, b.flush)
	d.Add("/p/b")
	clock.Advance(30 * time.Millisecond)
	d.Add("/p/a", "/p/b") // within the quiet period: same batch, deduplicated
	clock.Advance(49 * time.Millisecond)
	if len(b.got) != 0 {
		t.Fatalf("flushed before 50ms of quiet: %v", b.got)
	}
	clock.Advance(time.Millisecond)
	want := [][]string{{"/p/a", "/p/b"}}
	if !reflect.DeepEqual(b.got, want) {
		t.Fatalf("got %v, want %v", b.got, want)
	}
	if clock.pending() != 0 {
		t.Fatalf("%d timers left armed after the flush", clock.pending())
	}
	d.Add("/p/c")
	clock.Advance(50 * time.Millisecond)
	if want = append(want, []string{"/p/c"}); !reflect.DeepEqual(b.got, want) {
		t.Fatalf("got %v, want %v", b.got, want)
	}
}

func TestDebounceDefaultIsAtMost50ms(t *testing.T) {
	clock := newFakeClock()
	var b batches
	d := NewDebouncer(clock, 0, 0, b.flush)
	d.Add("/x")
	clock.Advance(50 * time.Millisecond)
	if len(b.got) != 1 {
		t.Fatalf("default debounce did not flush within 50ms (DefaultQuiet %v)", DefaultQuiet)
	}
}

// A burst such as a git checkout of 2000 files is one batch, and arms one
// timer rather than one per event.
func TestDebounceBurstIsOneBatch(t *testing.T) {
	clock := newFakeClock()
	var b batches
	d := NewDebouncer(clock, 30*time.Millisecond, 2*time.Second, b.flush)
	for i := range 2000 {
		d.Add(fmt.Sprintf("/repo/f%04d", i))
		if i%100 == 0 {
			clock.Advance(time.Millisecond) // 20ms of events in all
		}
		if clock.pending() > 1 {
			t.Fatalf("%d timers armed during a burst", clock.pending())
		}
	}
	clock.Advance(30 * time.Millisecond)
	if len(b.got) != 1 || len(b.got[0]) != 2000 {
		t.Fatalf("got %d batches (first of %d paths), want 1 of 2000", len(b.got), len(b.got[0]))
	}
}

// A steady stream never goes quiet; it is cut every maxWait.
func TestDebounceMaxWait(t *testing.T) {
	clock := newFakeClock()
	var b batches
	d := NewDebouncer(clock, 30*time.Millisecond, 200*time.Millisecond, b.flush)
	for i := range 50 { // one event every 10ms for 500ms
		d.Add(fmt.Sprintf("/log/%d", i))
		clock.Advance(10 * time.Millisecond)
	}
	if len(b.got) != 2 {
		t.Fatalf("got %d batches in 500ms of steady events, want 2 (cut at 200ms)", len(b.got))
	}
	if n := len(b.got[0]); n != 20 {
		t.Fatalf("first batch has %d paths, want the 20 of its first 200ms", n)
	}
}

func TestDebounceFlushAndStop(t *testing.T) {
	clock := newFakeClock()
	var b batches
	d := NewDebouncer(clock, 30*time.Millisecond, time.Second, b.flush)
	d.Add("/a")
	d.Flush()
	if len(b.got) != 1 {
		t.Fatalf("Flush delivered %d batches", len(b.got))
	}
	d.Add("/b")
	d.Stop()
	clock.Advance(time.Second)
	if len(b.got) != 1 {
		t.Fatalf("Stop did not drop the pending batch: %v", b.got)
	}
}
