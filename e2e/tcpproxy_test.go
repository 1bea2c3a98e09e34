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
	target := strings.TrimPrefix(ts.Getenv("DOCKER_HOST"), "unix://")
	if target == "" {
		target = "/var/run/docker.sock"
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	ts.Defer(func() { _ = l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				e, err := net.Dial("unix", target)
				if err != nil {
					return
				}
				defer e.Close()
				go func() { _, _ = io.Copy(e, c) }()
				_, _ = io.Copy(c, e)
			}()
		}
	}()
	ts.Setenv("TCPHOST", "tcp://"+l.Addr().String())
}
