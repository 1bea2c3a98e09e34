package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/moby/term"

	"github.com/devstack/devstack/internal/progress"
)

// lineProgress renders progress events as lines of text. On a terminal,
// pulls get one line per image, redrawn in place as they go, and a
// BuildKit step's output shows in a window of its last lines while it runs.
type lineProgress struct {
	mu     sync.Mutex
	w      io.Writer
	term   bool
	board  []pullLine // the pulls on screen, while any runs
	drawn  int        // lines of the board on screen
	window []string   // a running build step's last output lines, on screen
	waits  []waitLine // why services wait, below the rest while they do
	waited int        // lines of waits on screen
	width  func() int // the terminal's columns (0: unknown)
}

// windowLines is how many output lines of a running build step a terminal shows.
const windowLines = 6

type pullLine struct {
	image, text string
	done        bool
}

func newLineProgress(w io.Writer) *lineProgress {
	p := &lineProgress{w: w}
	if f, ok := w.(*os.File); ok {
		var fd uintptr
		fd, p.term = term.GetFdInfo(f)
		p.width = func() int {
			if ws, err := term.GetWinsize(fd); err == nil {
				return int(ws.Width)
			}
			return 0
		}
	}
	return p
}

func (p *lineProgress) Event(e progress.Event) {
	if e.Kind == progress.KindWatchState {
		return // the dashboard's; the reload lines say it in words
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if e.Kind == progress.KindWait {
		p.wait(e)
		return
	}
	p.eraseWaits()
	p.event(e)
	p.drawWaits()
}

func (p *lineProgress) event(e progress.Event) {
	if p.term && e.Kind == progress.KindBuild && e.Status == progress.BuildOutput {
		p.showWindow(e.Detail)
		return
	}
	p.clearWindow()
	if p.term && e.Kind == progress.KindImage && p.onBoard(e) {
		return
	}
	if e.Update {
		return // a log of lines has no place for progress in between
	}
	fmt.Fprintln(p.w, e.String())
}

// onBoard shows a pull's start, progress and end on its line of the board.
func (p *lineProgress) onBoard(e progress.Event) bool {
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

// showWindow adds a line to the running step's output window and redraws it.
func (p *lineProgress) showWindow(line string) {
	var sb strings.Builder
	if n := len(p.window); n > 0 {
		fmt.Fprintf(&sb, "\x1b[%dA", n)
	}
	p.window = append(p.window, line)
	if len(p.window) > windowLines {
		p.window = p.window[len(p.window)-windowLines:]
	}
	for _, l := range p.window {
		fmt.Fprintf(&sb, "\x1b[2K%s\n", l)
	}
	_, _ = io.WriteString(p.w, sb.String())
}

// clearWindow erases the output window: the step it belonged to ended (the
// error of a failed step repeats its last lines).
func (p *lineProgress) clearWindow() {
	n := len(p.window)
	if n == 0 {
		return
	}
	p.window = nil
	_, _ = fmt.Fprintf(p.w, "\x1b[%dA\x1b[J", n) // up over the window, clear to the end of the screen
}

// progressFor is the progress renderer of -q and --progress.
func (g *globals) progressFor(quiet bool, progress string) (progress.Progress, error) {
	switch progress {
	case "auto", "tty", "plain", "":
	case "quiet":
		quiet = true
	default:
		return nil, fmt.Errorf("invalid --progress %q: auto, tty, plain or quiet", progress)
	}
	if quiet {
		return warningsOnly{g.printer()}, nil
	}
	return g.printer(), nil
}

// warningsOnly is -q's progress: warnings (a failure ignored on request) and nothing else.
type warningsOnly struct{ next progress.Progress }

func (w warningsOnly) Event(e progress.Event) {
	if e.Kind == progress.KindWarning {
		w.next.Event(e)
	}
}
