package containers

import (
	"errors"
	"os"
	"syscall"
	"testing"
)

func TestSignalNameIsLinuxName(t *testing.T) {
	for sig, want := range map[os.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM", syscall.SIGKILL: ""} {
		if got := signalName(sig); got != want {
			t.Errorf("signalName(%v) = %q, want %q", sig, got, want)
		}
	}
	if len(ForwardedSignals) != len(linuxNames) {
		t.Errorf("ForwardedSignals has %d, want %d", len(ForwardedSignals), len(linuxNames))
	}
}

func TestParseSignal(t *testing.T) {
	for in, want := range map[string]string{"HUP": "SIGHUP", "sigterm": "SIGTERM", "SIGUSR1": "SIGUSR1", "9": "9", "kill": "SIGKILL", "PWR": "SIGPWR", "stkflt": "SIGSTKFLT"} {
		if got, err := ParseSignal(in); err != nil || got != want {
			t.Errorf("ParseSignal(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"NOPE", "SIG", "0", "65", "-1", ""} {
		if _, err := ParseSignal(in); !errors.Is(err, ErrBadSignal) {
			t.Errorf("ParseSignal(%q) error = %v, want ErrBadSignal", in, err)
		}
	}
}
