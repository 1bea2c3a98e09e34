package router

import (
	"net"
	"syscall"
)

// stale: a kept backend connection the backend has closed meanwhile (or
// that holds bytes nobody asked for), seen without blocking.
func stale(c net.Conn) bool {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return true
	}
	var buf [1]byte
	dead := false
	err = rc.Control(func(fd uintptr) {
		n, _, err := syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		dead = n > 0 || (err == nil && n == 0) || (err != nil && err != syscall.EAGAIN)
	})
	return err != nil || dead
}
