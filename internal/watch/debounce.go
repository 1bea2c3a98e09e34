package watch

import (
	"sort"
	"sync"
	"time"
)

// Clock is the time the debouncer and the loop guard run on; tests inject
// a fake one and never sleep.
type Clock interface {
	Now() time.Time
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc.
type Timer interface{ Stop() bool }

// RealClock is the wall clock.
type RealClock struct{}

// Now is time.Now.
func (RealClock) Now() time.Time { return time.Now() }

// AfterFunc is time.AfterFunc.
func (RealClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// Debounce defaults: a change is handled once nothing else changed for
// DefaultQuiet, and a steady stream is cut into batches every DefaultMaxWait.
const (
	DefaultQuiet   = 30 * time.Millisecond
	DefaultMaxWait = 2 * time.Second
)

// Debouncer coalesces paths into batches: a batch is flushed once no path
// was added for the quiet period, or when the first path of the batch has
// waited maxWait. flush runs on the clock's timer goroutine, one batch at a
// time, with the paths sorted and deduplicated.
type Debouncer struct {
	clock          Clock
	quiet, maxWait time.Duration
	flush          func([]string)

	mu      sync.Mutex
	pending map[string]bool
	first   time.Time // when the pending batch began
	last    time.Time // the latest Add
	timer   Timer     // armed while a batch is pending
	flushMu sync.Mutex
}

// NewDebouncer returns a debouncer on clock; zero durations take the defaults.
func NewDebouncer(clock Clock, quiet, maxWait time.Duration, flush func([]string)) *Debouncer {
	if quiet <= 0 {
		quiet = DefaultQuiet
	}
	if maxWait <= 0 {
		maxWait = DefaultMaxWait
	}
	return &Debouncer{clock: clock, quiet: quiet, maxWait: maxWait, flush: flush, pending: map[string]bool{}}
}

// Add records changed paths. The timer is armed once per batch and re-armed
// only when it fires early, so a burst of thousands of events costs one
// timer, not thousands.
func (d *Debouncer) Add(paths ...string) {
	if len(paths) == 0 {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.clock.Now()
	if len(d.pending) == 0 {
		d.first = now
	}
	d.last = now
	for _, p := range paths {
		d.pending[p] = true
	}
	if d.timer == nil {
		d.timer = d.clock.AfterFunc(d.quiet, d.fire)
	}
}

// deadline is when the pending batch is due. Callers hold mu.
func (d *Debouncer) deadline() time.Time {
	due := d.last.Add(d.quiet)
	if cap := d.first.Add(d.maxWait); cap.Before(due) {
		due = cap
	}
	return due
}

func (d *Debouncer) fire() {
	d.mu.Lock()
	if len(d.pending) == 0 {
		d.timer = nil
		d.mu.Unlock()
		return
	}
	if wait := d.deadline().Sub(d.clock.Now()); wait > 0 {
		d.timer = d.clock.AfterFunc(wait, d.fire)
		d.mu.Unlock()
		return
	}
	batch := d.take()
	d.mu.Unlock()
	d.deliver(batch)
}

// take empties the pending batch. Callers hold mu.
func (d *Debouncer) take() []string {
	batch := make([]string, 0, len(d.pending))
	for p := range d.pending {
		batch = append(batch, p)
	}
	sort.Strings(batch)
	d.pending = map[string]bool{}
	d.timer = nil
	return batch
}

func (d *Debouncer) deliver(batch []string) {
	d.flushMu.Lock()
	defer d.flushMu.Unlock()
	d.flush(batch)
}

// Flush delivers whatever is pending now.
func (d *Debouncer) Flush() {
	d.mu.Lock()
	if len(d.pending) == 0 {
		d.mu.Unlock()
		return
	}
	if d.timer != nil {
		d.timer.Stop()
	}
	batch := d.take()
	d.mu.Unlock()
	d.deliver(batch)
}

// Stop drops what is pending and disarms the timer.
func (d *Debouncer) Stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil {
		d.timer.Stop()
	}
	d.pending, d.timer = map[string]bool{}, nil
}
