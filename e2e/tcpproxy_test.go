//go:build linux

package e2e

import (
	"io"
	"net"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdTCPProxy serves the engine's unix socket on 127.0.0.1 (plain TCP, as
// a tcp:// DOCKER_HOST without TLS) and sets $TCPHOST to tcp://ADDR; the
// listener closes when the script ends.
func cmdTCPProxy(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: tcpproxy")
	}
	target := engineSocket(ts, "tcpproxy")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	serveEngine(ts, l, target)
	ts.Setenv("TCPHOST", "tcp://"+l.Addr().String())
}

// engineSocket is the path of the script's engine socket (DOCKER_HOST's,
// else the default one), for the proxies in front of it; cmd, the
// script command, is named when the engine is not behind a unix socket.
func engineSocket(ts *testscript.TestScript, cmd string) string {
	target := strings.TrimPrefix(ts.Getenv("DOCKER_HOST"), "unix://")
	if target == "" {
		target = "/var/run/docker.sock"
	}
	if strings.Contains(target, "://") {
		ts.Fatalf("%s: needs a unix socket engine, have %s", cmd, target)
	}
	return target
}

// serveEngine forwards every connection l accepts to the engine's socket
// until the script ends, when l is closed.
func serveEngine(ts *testscript.TestScript, l net.Listener, socket string) {
	ts.Defer(func() { _ = l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go forward(c, socket)
		}
	}()
}

// forward copies between c and the engine's socket, passing on the
// client's half-close (an exec's stdin ending).
func forward(c net.Conn, socket string) {
	defer c.Close()
	e, err := net.Dial("unix", socket)
	if err != nil {
		return
	}
	defer e.Close()
	go func() {
		_, _ = io.Copy(e, c)
		_ = e.(*net.UnixConn).CloseWrite()
	}()
	_, _ = io.Copy(c, e)
}
