package containers

import "os"

// ForwardedSignals are the signals run and attach pass on to the container
// (per OS: signals_unix.go, signals_windows.go).
var ForwardedSignals = forwardedSignals()

// signalName is the signal as the engine's kill takes it: its Linux name
// (SIGUSR1 is 10 in a Linux container but 30 on macOS, so never the
// client's number). "" for a signal not passed on.
func signalName(sig os.Signal) string {
	return linuxNames[sig]
}

func forwardedSignals() []os.Signal {
	sigs := make([]os.Signal, 0, len(linuxNames))
	for s := range linuxNames {
		sigs = append(sigs, s)
	}
	return sigs
}

// linuxSignalNames are the signals a Linux container knows (1-31), the
// names kill -s accepts whatever OS devstack runs on.
var linuxSignalNames = []string{
	"SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGIOT", "SIGBUS", "SIGFPE",
	"SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
	"SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
	"SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPOLL", "SIGPWR", "SIGSYS",
}
