package router

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// rig: a backend, a CA, state files for projects a (up) and b (down), and
// the router serving them over TLS.
func rig(t *testing.T) (front string, client func(host string) *http.Client) {
	t.Helper()
	back := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ws":
			if r.Header.Get("Upgrade") != "websocket" {
				http.Error(w, "no upgrade", 400)
				return
			}
			c, rw, _ := w.(http.Hijacker).Hijack()
			defer c.Close()
			rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
			rw.Flush()
			line, _ := rw.ReadString('\n')
			rw.WriteString("echo " + line)
			rw.Flush()
		case "/sse":
			w.Header().Set("Content-Type", "text/event-stream")
			fmt.Fprint(w, "data: one\n\n")
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		default:
			fmt.Fprintf(w, "host=%s xfp=%s xfh=%s proto=%s", r.Host, r.Header.Get("X-Forwarded-Proto"), r.Header.Get("X-Forwarded-Host"), r.Proto)
		}
	}))
	t.Cleanup(back.Close)
	ca, err := LoadCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	addr := strings.TrimPrefix(back.URL, "http://")
	a, _ := Build(Project{Name: "a", Services: []Service{{Name: "web", Ports: []int{80}}, {Name: "idle", Ports: []int{80}}}}, nil)
	a.Routes[0].Backends = []string{"127.0.0.1:1"} // idle: nothing listens
	for i := range a.Routes {
		if a.Routes[i].Service == "web" {
			a.Routes[i].Backends = []string{addr}
		}
	}
	b, _ := Build(Project{Name: "b", Services: []Service{{Name: "web", Ports: []int{80}}}}, nil)
	b.Down = true
	for _, st := range []*State{&a, &b} {
		for i := range st.Routes {
			l, _ := ca.Issue(st.Routes[i].Host)
			st.Routes[i].Cert, st.Routes[i].Key = l.Cert, l.Key
		}
		data, _ := json.Marshal(st)
		os.WriteFile(filepath.Join(dir, st.Project+".json"), data, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "broken.json"), []byte("{"), 0o644)
	s := NewServer()
	s.Log = log.New(io.Discard, "", 0)
	if err := s.Load(dir); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := NewHTTPServer(s, true)
	done := make(chan error, 1)
	go func() { done <- s.ServeTLS(l, hs) }()
	t.Cleanup(func() {
		l.Close()
		s.Close()
		hs.Close()
		if err := <-done; err != nil {
			t.Errorf("ServeTLS: %v", err)
		}
	})
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(ca.CertPEM)
	client = func(host string) *http.Client {
		tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, ServerName: host}, ForceAttemptHTTP2: !strings.HasPrefix(host, "h1:"),
			DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				return new(net.Dialer).DialContext(ctx, "tcp", l.Addr().String())
			}}
		tr.TLSClientConfig.ServerName = strings.TrimPrefix(host, "h1:")
		return &http.Client{Transport: tr, Timeout: 10 * time.Second}
	}
	return l.Addr().String(), client
}

func get(t *testing.T, c *http.Client, url string) (int, string, *http.Response) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp
}

func TestServerRoutes(t *testing.T) {
	_, client := rig(t)
	for _, h := range []struct{ client, proto string }{{"web.a.localhost", "HTTP/2.0"}, {"h1:web.a.localhost", "HTTP/1.1"}} {
		code, body, resp := get(t, client(h.client), "https://WEB.a.localhost:8443/")
		if code != 200 || !strings.Contains(body, "host=WEB.a.localhost:8443 xfp=https xfh=WEB.a.localhost:8443") {
			t.Errorf("web.a over %s: %d %s", h.proto, code, body)
		}
		if resp.Proto != h.proto {
			t.Errorf("proto %s, want %s (ALPN)", resp.Proto, h.proto)
		}
		// A connection made for a's name cannot carry a request for b's.
		req, _ := http.NewRequest("GET", "https://web.a.localhost/", nil)
		req.Host = "web.b.localhost"
		resp, err := client(h.client).Do(req)
		if err != nil || resp.StatusCode != http.StatusMisdirectedRequest {
			t.Errorf("crafted Host over %s: %v %v", h.proto, resp, err)
		}
	}
	code, body, _ := get(t, client("web.b.localhost"), "https://web.b.localhost/")
	if code != 503 || !strings.Contains(body, "Project <b>b</b> is not running") || !strings.Contains(body, "devstack up") {
		t.Errorf("down project: %d %s", code, body)
	}
	code, body, _ = get(t, client("idle.a.localhost"), "https://idle.a.localhost/")
	if code != 502 || !strings.Contains(body, "idle</b> of project <b>a</b> does not answer") {
		t.Errorf("idle: %d %s", code, body)
	}
	// No certificate for a name no project serves.
	if _, err := client("web.c.localhost").Get("https://web.c.localhost/"); err == nil {
		t.Error("a handshake for an unknown name succeeded")
	}
}

func TestServerWebSocketAndStreaming(t *testing.T) {
	front, client := rig(t)
	c, _ := client("web.a.localhost").Transport.(*http.Transport)
	conn, err := tls.Dial("tcp", front, &tls.Config{RootCAs: c.TLSClientConfig.RootCAs, ServerName: "web.a.localhost", NextProtos: []string{"http/1.1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprint(conn, "GET /ws HTTP/1.1\r\nHost: web.a.localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
	br := bufio.NewReader(conn)
	status, _ := br.ReadString('\n')
	if !strings.Contains(status, "101") {
		t.Fatalf("upgrade: %q", status)
	}
	for l, _ := br.ReadString('\n'); l != "\r\n" && l != ""; l, _ = br.ReadString('\n') {
	}
	fmt.Fprint(conn, "hello\n")
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if l, _ := br.ReadString('\n'); l != "echo hello\n" {
		t.Errorf("websocket echo: %q", l)
	}
	// SSE: the first event arrives while the response is still open.
	resp, err := client("web.a.localhost").Get("https://web.a.localhost/sse")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got := make(chan string, 1)
	go func() { l, _ := bufio.NewReader(resp.Body).ReadString('\n'); got <- l }()
	select {
	case l := <-got:
		if l != "data: one\n" {
			t.Errorf("sse: %q", l)
		}
	case <-time.After(5 * time.Second):
		t.Error("sse: the first event was held back")
	}
}

// The listeners' servers: HTTP/2 receive windows of MBs (uploads through
// the router are not held back on loopback), TLS only on the secure one.
func TestNewHTTPServer(t *testing.T) {
	s := NewServer()
	plain, secure := NewHTTPServer(s, false), NewHTTPServer(s, true)
	if plain.TLSConfig != nil || secure.TLSConfig == nil || secure.TLSConfig.GetCertificate == nil {
		t.Fatalf("TLS config: plain %v, secure %v", plain.TLSConfig, secure.TLSConfig)
	}
	for _, hs := range []*http.Server{plain, secure} {
		if hs.Handler != s || hs.ReadHeaderTimeout == 0 || hs.IdleTimeout == 0 || hs.HTTP2 == nil ||
			hs.HTTP2.MaxReceiveBufferPerStream < 4<<20 || hs.HTTP2.MaxReceiveBufferPerConnection < hs.HTTP2.MaxReceiveBufferPerStream {
			t.Errorf("server %+v, HTTP/2 %+v", hs, hs.HTTP2)
		}
	}
}
