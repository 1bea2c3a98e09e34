//go:build !windows

package containers

import (
	"os"
	"os/signal"
	"syscall"
)

// onResize calls follow whenever the terminal changes size (SIGWINCH)
// until the returned stop is called.
func onResize(follow func()) (stop func()) {
	winch := make(chan os.Signal, 1)
	signal.Notify(winch, syscall.SIGWINCH)
	go func() {
		for range winch {
			follow()
		}
	}()
	return func() {
		signal.Stop(winch)
		close(winch)
	}
}
