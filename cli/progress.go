package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/moby/term"

	"github.com/devstack/devstack/engine"
)

// lineProgress renders progress events as lines of text. On a terminal,
// pulls get one line per image, redrawn in place as they go.
type lineProgress struct {
	mu    sync.Mutex
	w     io.Writer
	term  bool
	board []pullLine // the pulls on screen, while any runs
	drawn int        // lines of the board on screen
}

type pullLine struct {
	image, text string
	done        bool
}

func newLineProgress(w io.Writer) *lineProgress {
	p := &lineProgress{w: w}
	if f, ok := w.(*os.File); ok {
		_, p.term = term.GetFdInfo(f)
	}
	return p
}

func (p *lineProgress) Event(e engine.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.term && e.Kind == engine.KindImage && p.onBoard(e) {
		return
	}
	if e.Update {
		return // a log of lines has no place for progress in between
	}
	fmt.Fprintln(p.w, e.String())
}

// onBoard shows a pull's start, progress and end on its line of the board.
func (p *lineProgress) onBoard(e engine.Event) bool {
	text := e.Status
	switch {
	case e.Update:
		text = e.Detail
	case e.Status == "Error":
		text = "Error " + e.Detail
	case e.Status != "Pulling" && e.Status != "Pulled":
		return false
	}
	i := 0
	for i < len(p.board) && p.board[i].image != e.Name {
		i++
	}
	if i == len(p.board) {
		if e.Status != "Pulling" || e.Update {
			return false
		}
		p.board = append(p.board, pullLine{image: e.Name, text: "Pulling"})
	}
	p.board[i].text = text
	p.board[i].done = !e.Update && e.Status != "Pulling"
	var sb strings.Builder
	if p.drawn > 0 {
		fmt.Fprintf(&sb, "\x1b[%dA", p.drawn) // back over the lines drawn last time
	}
	for _, l := range p.board {
		fmt.Fprintf(&sb, "\x1b[2KImage %s  %s\n", l.image, l.text)
	}
	p.drawn = len(p.board)
	_, _ = io.WriteString(p.w, sb.String())
	all := true
	for _, l := range p.board {
		all = all && l.done
	}
	if all {
		p.board, p.drawn = nil, 0
	}
	return true
}
