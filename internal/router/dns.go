package router

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"os"
	"slices"
	"strings"
)

// FreshResolver is a resolver whose queries go only to name servers that
// the resolver configuration at path (/etc/resolv.conf) lists at the time
// of the query. Go's own resolver reads that file at most every five
// seconds; Podman rewrites it when the router leaves a network (another
// project's down), taking out that network's name server, which it had
// put first. For up to five seconds Go then asks a server that is gone,
// and every new connection to a backend fails (no answer, or NXDOMAIN
// from whatever answers at that address). A query meant for a server no
// longer listed goes to the first one that is. On Docker the file names
// the engine's own server, which never changes: nothing differs.
func FreshResolver(path string) *net.Resolver {
	var d net.Dialer
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if data, err := os.ReadFile(path); err == nil {
			addr = CurrentServer(data, addr)
		}
		return d.DialContext(ctx, network, addr)
	}}
}

// CurrentServer is addr (a name server's HOST:PORT) when conf (a
// resolv.conf) lists its host, else the first server conf lists, on the
// same port; addr when conf lists none.
func CurrentServer(conf []byte, addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	servers := nameservers(conf)
	if len(servers) == 0 || slices.Contains(servers, host) {
		return addr
	}
	return net.JoinHostPort(servers[0], port)
}

func nameservers(conf []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(conf))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "nameserver" {
			out = append(out, f[1])
		}
	}
	return out
}
