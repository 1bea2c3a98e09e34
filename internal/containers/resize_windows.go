package containers

import "time"

// onResize calls follow every 250ms until stop: Windows consoles send no
// SIGWINCH, and the docker CLI polls the console size the same way
// (follow sends only a changed size to the engine).
func onResize(follow func()) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				follow()
			}
		}
	}()
	return func() { close(done) }
}
