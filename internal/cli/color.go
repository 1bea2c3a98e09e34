package cli

import (
	"os"

	"github.com/moby/term"
)

// colorOK says whether to colour output: stdout is a terminal and NO_COLOR is unset.
func colorOK(g *globals, noColor bool) bool {
	if noColor || os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := g.stdout.(*os.File)
	if !ok {
		return false
	}
	_, isTerm := term.GetFdInfo(f)
	return isTerm
}
