//go:build !windows

package watchd

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// detached puts the watcher in a session of its own: no controlling
// terminal, so closing the terminal sends it no SIGHUP.
func detached() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setsid: true} }

func terminate(pid int) error { return syscall.Kill(pid, syscall.SIGTERM) }

func kill(pid int) error { return syscall.Kill(pid, syscall.SIGKILL) }

// IgnoreHangup keeps a watcher running when a terminal it was started
// from closes after all.
func IgnoreHangup() { ignore(syscall.SIGHUP) }

// alive says whether process pid still runs (a zombie does not).
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // no /proc (macOS): it exists
	}
	if i := bytes.LastIndexByte(b, ')'); i >= 0 && i+2 < len(b) {
		return b[i+2] != 'Z'
	}
	return true
}
