package router

import "testing"

func TestCurrentServer(t *testing.T) {
	podman := []byte("search dns.podman\nnameserver 10.89.3.1\n# nameserver 10.89.9.1\nnameserver 10.255.255.53\n")
	for _, c := range []struct {
		name string
		conf []byte
		addr string
		want string
	}{
		{"still listed", podman, "10.89.3.1:53", "10.89.3.1:53"},
		{"listed second", podman, "10.255.255.53:53", "10.255.255.53:53"},
		{"gone: the first listed", podman, "10.89.5.1:53", "10.89.3.1:53"},
		{"commented out is gone", podman, "10.89.9.1:53", "10.89.3.1:53"},
		{"docker's", []byte("nameserver 127.0.0.11\noptions ndots:0\n"), "127.0.0.11:53", "127.0.0.11:53"},
		{"ipv6", []byte("nameserver fe80::1%eth0\n"), "[fd00::1]:53", "[fe80::1%eth0]:53"},
		{"none listed", []byte("search x\n"), "10.89.5.1:53", "10.89.5.1:53"},
		{"not host:port", podman, "10.89.5.1", "10.89.5.1"},
	} {
		if got := CurrentServer(c.conf, c.addr); got != c.want {
			t.Errorf("%s: CurrentServer(%q) = %q, want %q", c.name, c.addr, got, c.want)
		}
	}
}
