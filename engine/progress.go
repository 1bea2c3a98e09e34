package engine

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/moby/term"
)

// Printer serialises progress lines written from concurrent goroutines.
type Printer struct {
	mu sync.Mutex
	w  io.Writer
}

// NewPrinter writes to w; a nil w discards.
func NewPrinter(w io.Writer) *Printer {
	if w == nil {
		w = io.Discard
	}
	return &Printer{w: w}
}

// Status prints one line such as "Container demo-web-1  Started".
func (p *Printer) Status(kind, name, status string) {
	p.Printf("%s %s  %s\n", kind, name, status)
}

// Printf prints a formatted message.
func (p *Printer) Printf(format string, a ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, format, a...)
}

// Write lets streams (build, pull output) share the lock.
func (p *Printer) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.w.Write(b)
}

// terminal reports the file descriptor of w and whether it is a terminal.
func (p *Printer) terminal() (uintptr, bool) {
	if f, ok := p.w.(*os.File); ok {
		return term.GetFdInfo(f)
	}
	return 0, false
}
