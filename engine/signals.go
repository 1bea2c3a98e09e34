package engine

import (
	"os"
	"strconv"
	"syscall"
)

// ForwardedSignals are the signals run and attach pass on to the container.
var ForwardedSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2}

// signalName is the signal as the engine's kill takes it: its number.
func signalName(sig os.Signal) string {
	if s, ok := sig.(syscall.Signal); ok {
		return strconv.Itoa(int(s))
	}
	return ""
}
