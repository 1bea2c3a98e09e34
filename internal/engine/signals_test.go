package engine

import (
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
