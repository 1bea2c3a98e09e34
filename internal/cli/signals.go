package cli

import (
	"os"
	"os/signal"

	"github.com/devstack/devstack/internal/containers"
)

// forwardSignals sends Ctrl-C and the other signals a container is given
// (containers.ForwardedSignals) to sigs instead of devstack's own handling,
// until the returned function is called (run, attach).
func forwardSignals(sigs chan<- os.Signal) (stop func()) {
	signal.Reset(containers.ForwardedSignals...)
	signal.Notify(sigs, containers.ForwardedSignals...)
	return func() { signal.Stop(sigs) }
}
