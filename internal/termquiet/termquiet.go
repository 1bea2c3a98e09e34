// Package termquiet keeps bubbletea v1's init from querying the terminal.
//
// bubbletea v1 calls lipgloss.HasDarkBackground() in an init function, so
// every devstack command whose stdout is a terminal sent OSC 11 and DSR 6n
// and waited for the answer: a round trip on a terminal emulator, and
// termenv's full 5 s timeout on a pty with no emulator behind it (script,
// expect, Emacs shell-mode). termenv skips the query when CI is set. This
// package sets CI while packages initialise and Restore, the first thing
// main does, puts it back. It imports nothing but os, so it is initialised
// before termenv (Go initialises packages in import-path order as soon as
// their imports are ready, and this path sorts before
// github.com/muesli/termenv), hence before bubbletea. bubbletea v2 drops
// that init; this package goes with it.
package termquiet

import "os"

// ciSet says CI was in the environment before init.
var ciSet bool

func init() {
	_, ciSet = os.LookupEnv("CI")
	if !ciSet {
		os.Setenv("CI", "devstack-init")
	}
}

// Restore puts CI back as it was before init.
func Restore() {
	if !ciSet {
		os.Unsetenv("CI")
	}
}
