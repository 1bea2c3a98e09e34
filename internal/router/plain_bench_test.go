package router

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkProxy: requests through the plain listener's own proxy
// (ServePlain) against net/http's server with httputil.ReverseProxy (the
// HTTPS listener's way, here without TLS), keep-alive, 8 clients, to an
// httptest backend; the router's, the backend's and the clients' CPU all
// in this process (cpu-µs/op: the process's CPU time a request; the
// difference between the two ways is the router's; go test -cpuprofile
// shows where it goes).
func BenchmarkProxy(b *testing.B) {
	for _, size := range []struct{ name, path string }{{"small", "/size/100"}, {"1MiB", "/size/1048576"}} {
		for _, way := range []string{"plain", "reverseproxy"} {
			b.Run(way+"/"+size.name, func(b *testing.B) {
				var addr string
				if way == "plain" {
					addr, _ = plainRig(b)
				} else {
					s := NewServer()
					s.table, _ = rigTable(b)
					front := httptest.NewServer(s)
					b.Cleanup(front.Close)
					addr = front.Listener.Addr().String()
				}
				tr := &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true,
					DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
						return new(net.Dialer).DialContext(ctx, "tcp", addr)
					}}
				b.Cleanup(tr.CloseIdleConnections)
				client := &http.Client{Transport: tr}
				b.SetParallelism(4) // 8 clients on 2 CPUs
				b.ResetTimer()
				cpu := processCPU()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						resp, err := client.Get("http://web.a.localhost" + size.path)
						if err != nil {
							b.Error(err)
							return
						}
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
					}
				})
				b.ReportMetric(float64(processCPU()-cpu)/float64(time.Microsecond)/float64(b.N), "cpu-µs/op")
			})
		}
	}
}
