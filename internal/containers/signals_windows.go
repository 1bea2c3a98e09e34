package containers

import (
	"os"
	"syscall"
)

// Windows delivers Ctrl-C and Ctrl-Break (os.Interrupt) and console close
// (SIGTERM); there is no SIGUSR1/2 to pass on.
var linuxNames = map[os.Signal]string{
	syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM", syscall.SIGHUP: "SIGHUP", syscall.SIGQUIT: "SIGQUIT",
}
