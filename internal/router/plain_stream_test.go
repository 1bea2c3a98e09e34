package router

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// WebSocket: the Upgrade reaches the backend and the connection becomes a
// two-way pipe; SSE: the first event arrives while the response is open,
// and a client that leaves ends the stream at the backend.
func TestPlainUpgradeAndStreaming(t *testing.T) {
	addr, conns := plainRig(t)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprint(c, "GET /ws HTTP/1.1\r\nHost: web.a.localhost\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\nfirst\n")
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols || resp.Header.Get("Upgrade") != "websocket" {
		t.Fatalf("upgrade: %v %v", resp, err)
	}
	for _, msg := range []string{"first\n", "second\n"} {
		if msg == "second\n" {
			fmt.Fprint(c, msg)
		}
		if l, _ := br.ReadString('\n'); l != "echo "+msg {
			t.Errorf("websocket echo: %q, want %q", l, "echo "+msg)
		}
	}

	s, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	s.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprint(s, "GET /sse HTTP/1.1\r\nHost: web.a.localhost\r\n\r\n")
	sbr := bufio.NewReader(s)
	resp, err = http.ReadResponse(sbr, nil)
	if err != nil || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("sse: %v %v", resp, err)
	}
	if l, _ := bufio.NewReader(resp.Body).ReadString('\n'); l != "data: one\n" {
		t.Errorf("sse: %q", l)
	}
	before := conns.Load()
	s.Close()
	for deadline := time.Now().Add(5 * time.Second); conns.Load() > before-1000; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the backend's stream went on after the client left")
		}
	}
}

// A backend that closes idle keep-alive connections (as Node does after
// 5 s): the next request, with or without a body, goes on a new one.
func TestPlainBackendClosedIdle(t *testing.T) {
	back := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		fmt.Fprintf(w, "ok %d", n)
	}))
	back.Config.IdleTimeout = 50 * time.Millisecond
	back.Start()
	defer back.Close()
	st, _ := Build(Project{Name: "p", Services: []Service{{Name: "web", Ports: []int{80}}}}, nil)
	st.Routes[0].Backends = []string{back.Listener.Addr().String()}
	s := NewServer()
	s.Log = log.New(io.Discard, "", 0)
	s.table = NewTable([]State{st})
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	defer l.Close()
	go s.ServePlain(l)
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	br := bufio.NewReader(c)
	for i, request := range []string{
		"GET / HTTP/1.1\r\nHost: web.p.localhost\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: web.p.localhost\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: web.p.localhost\r\nContent-Length: 3\r\n\r\nabc",
	} {
		if i > 0 {
			time.Sleep(200 * time.Millisecond) // the backend closed the kept connection
		}
		resp, body := raw(t, c, br, request, "GET")
		if resp.StatusCode != 200 || !strings.HasPrefix(body, "ok ") {
			t.Errorf("request %d: %s %q", i, resp.Status, body)
		}
	}
}

// Replicas: client connections go round-robin over them, and one that
// cannot be connected to is passed over.
func TestPlainReplicas(t *testing.T) {
	var backs []string
	for _, name := range []string{"one", "two"} {
		b := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, name) }))
		defer b.Close()
		backs = append(backs, b.Listener.Addr().String())
	}
	st, _ := Build(Project{Name: "p", Services: []Service{{Name: "web", Ports: []int{80}}}}, nil)
	st.Routes[0].Backends = append(backs, "127.0.0.1:1")
	s := NewServer()
	s.Log = log.New(io.Discard, "", 0)
	s.table = NewTable([]State{st})
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	defer l.Close()
	go s.ServePlain(l)
	seen := map[string]int{}
	for range 6 {
		c, err := net.Dial("tcp", l.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		br := bufio.NewReader(c)
		resp, body := raw(t, c, br, "GET / HTTP/1.1\r\nHost: web.p.localhost\r\n\r\n", "GET")
		_, again := raw(t, c, br, "GET / HTTP/1.1\r\nHost: web.p.localhost\r\n\r\n", "GET")
		c.Close()
		if resp.StatusCode != 200 || again != body {
			t.Errorf("%s %q then %q", resp.Status, body, again)
		}
		seen[body]++
	}
	if seen["one"] < 2 || seen["two"] < 2 {
		t.Errorf("connections per replica %v, want both used", seen)
	}
}

// A client that starts a request and never ends its head is cut off after
// headTimeout; an idle one (no byte yet) is not.
func TestPlainHeadTimeout(t *testing.T) {
	defer func(d time.Duration) { headTimeout = d }(headTimeout)
	headTimeout = 200 * time.Millisecond
	addr, _ := plainRig(t)
	slow, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	fmt.Fprint(slow, "GET / HTTP/1.1\r\nHost: web.a.localhost\r\n")
	slow.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadAll(slow); err != nil {
		t.Errorf("slow head: %v, want the connection closed", err)
	}
	time.Sleep(300 * time.Millisecond)
	idle.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprint(idle, "GET / HTTP/1.1\r\nHost: web.a.localhost\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(idle), nil)
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("idle connection, then a request: %v %v", resp, err)
	}
}
