package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/devstack/devstack/internal/progress"
)

// waitLine is why one service waits for one dependency (a KindWait event's Name).
type waitLine struct{ name, text string }

// wait shows why a service waits: a line each time it is said, or on a
// terminal one line per wait below the rest, redrawn in place, gone when
// the wait is over.
func (p *lineProgress) wait(e progress.Event) {
	if !p.term {
		if !e.Update && e.Status == progress.WaitWaiting {
			fmt.Fprintln(p.w, e.String())
		}
		return
	}
	p.eraseWaits()
	i := slices.IndexFunc(p.waits, func(l waitLine) bool { return l.name == e.Name })
	switch {
	case e.Status == progress.WaitDone && i >= 0:
		p.waits = slices.Delete(p.waits, i, i+1)
	case e.Status == progress.WaitDone:
	case i >= 0:
		p.waits[i].text = e.String()
	default:
		p.waits = append(p.waits, waitLine{name: e.Name, text: e.String()})
	}
	p.drawWaits()
}

// eraseWaits clears the waits' lines from the screen (they stay known).
func (p *lineProgress) eraseWaits() {
	if p.waited > 0 {
		_, _ = fmt.Fprintf(p.w, "\r\x1b[%dA\x1b[J", p.waited) // to the line start (past a ^C echoed), up over them, clear to the end of the screen
		p.waited = 0
	}
}

// drawWaits draws the waits at the bottom, unless a pull board or build
// window is on screen: those redraw in place too, and come first.
func (p *lineProgress) drawWaits() {
	if !p.term || len(p.waits) == 0 || len(p.board) > 0 || len(p.window) > 0 {
		return
	}
	width := 0
	if p.width != nil {
		width = p.width()
	}
	var sb strings.Builder
	rows := 0
	for _, l := range p.waits {
		fmt.Fprintf(&sb, "\x1b[2K%s\n", l.text)
		rows += rowsOf(l.text, width)
	}
	_, _ = io.WriteString(p.w, sb.String())
	p.waited = rows
}

// rowsOf is how many terminal rows a line takes at this width (0:
// unknown, one row), so that redrawing in place goes back over all of them.
func rowsOf(s string, width int) int {
	n := utf8.RuneCountInString(s)
	if width <= 0 || n <= width {
		return 1
	}
	return (n + width - 1) / width
}
