package cli

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/docker/go-units"

	"github.com/devstack/devstack/internal/bundle"
)

// transfer counts the bytes and images of a save or load and, on a
// terminal, redraws one progress line four times a second.
type transfer struct {
	label       string
	total       int64 // expected bytes, 0 when unknown
	images      int
	waiting     string // shown once all bytes are through: what is still going on
	bytes       atomic.Int64
	imagesDone  atomic.Int64
	stop, ended chan struct{}
	once        sync.Once
}

// meter is a progress line on standard error for bundle.Save, Load and
// Check: label, and waiting once all bytes are through.
func (g *globals) meter(label, waiting string) bundle.StartMeter {
	return func(total int64, images int) bundle.Meter {
		return startTransfer(g.stderr, label, total, images, waiting)
	}
}

// startTransfer draws on w when it is a terminal; otherwise it only counts.
// waiting, if set, is shown once all bytes are through.
func startTransfer(w io.Writer, label string, total int64, images int, waiting string) *transfer {
	t := &transfer{label: label, total: total, images: images, waiting: waiting, stop: make(chan struct{}), ended: make(chan struct{})}
	if !isTerminal(w) {
		close(t.ended)
		return t
	}
	go func() {
		defer close(t.ended)
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-t.stop:
				fmt.Fprint(w, "\r\033[K")
				return
			case <-tick.C:
				fmt.Fprint(w, "\r\033[K"+t.line())
			}
		}
	}()
	return t
}

// line renders "Saving  [=====>    ]  120MB/300MB  images 1/3".
func (t *transfer) line() string {
	n := t.bytes.Load()
	s := t.label + "  "
	if t.total > 0 {
		const width = 24
		done := min(int(n*width/t.total), width)
		s += "[" + strings.Repeat("=", done) + strings.Repeat(" ", width-done) + "]  " +
			units.HumanSize(float64(n)) + "/" + units.HumanSize(float64(t.total))
	} else {
		s += units.HumanSize(float64(n))
	}
	if t.images > 0 {
		s += fmt.Sprintf("  images %d/%d", t.imagesDone.Load(), t.images)
	}
	if t.total > 0 && n >= t.total && t.waiting != "" {
		s += "  " + t.waiting
	}
	return s
}

// Write counts bytes passing through (use with io.TeeReader or io.MultiWriter).
func (t *transfer) Write(b []byte) (int, error) {
	t.bytes.Add(int64(len(b)))
	return len(b), nil
}

// ImageDone counts one image through.
func (t *transfer) ImageDone() { t.imagesDone.Add(1) }

// Done stops drawing and clears the line.
func (t *transfer) Done() {
	t.once.Do(func() { close(t.stop) })
	<-t.ended
}
