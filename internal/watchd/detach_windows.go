package watchd

import (
	"os"
	"syscall"
)

// detached starts the watcher without a console and in a process group of
// its own, so the console that started it can close.
func detached() *syscall.SysProcAttr {
	const detachedProcess = 0x00000008
	return &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP | detachedProcess}
}

func terminate(pid int) error { return kill(pid) }

func kill(pid int) error {
	p, err := os.FindProcess(pid)
	if err != nil {
		return err
	}
	return p.Kill()
}

// IgnoreHangup has nothing to do on Windows.
func IgnoreHangup() {}

// alive is not asked on Windows: the lock let go is the end.
func alive(int) bool { return false }
