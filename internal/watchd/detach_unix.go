//go:build !windows

package watchd

import "syscall"

// detached puts the watcher in a session of its own: no controlling
// terminal, so closing the terminal sends it no SIGHUP.
func detached() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setsid: true} }

func terminate(pid int) error { return syscall.Kill(pid, syscall.SIGTERM) }

func kill(pid int) error { return syscall.Kill(pid, syscall.SIGKILL) }

// IgnoreHangup keeps a watcher running when a terminal it was started
// from closes after all.
func IgnoreHangup() { ignore(syscall.SIGHUP) }
