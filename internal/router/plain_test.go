package router

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// backendHandler is the app behind the router in these tests.
func backendHandler(conns *atomic.Int64) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "host=%s xff=%s xfh=%s xfp=%s fwd=%q ua=%q conn=%q keep=%q proto=%s te=%q",
			r.Host, r.Header.Get("X-Forwarded-For"), r.Header.Get("X-Forwarded-Host"), r.Header.Get("X-Forwarded-Proto"),
			r.Header.Get("Forwarded"), r.Header.Get("User-Agent"), r.Header.Get("Connection"), r.Header.Get("Keep-Alive"), r.Proto, r.Header.Get("Te"))
	})
	mux.HandleFunc("/size/", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/size/"))
		w.Header().Set("Content-Length", strconv.Itoa(n))
		w.Write(bytes.Repeat([]byte("x"), n))
	})
	mux.HandleFunc("/upload", func(w http.ResponseWriter, r *http.Request) {
		h := sha256.New()
		n, err := io.Copy(h, r.Body)
		fmt.Fprintf(w, "%d %x %v te=%v trailer=%q", n, h.Sum(nil), err, r.TransferEncoding, r.Trailer.Get("X-Sum"))
	})
	mux.HandleFunc("/early", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		http.Error(w, "too large", http.StatusRequestEntityTooLarge)
	})
	mux.HandleFunc("/chunked", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Trailer", "X-Done")
		for i := range 3 {
			fmt.Fprintf(w, "part %d\n", i)
			w.(http.Flusher).Flush()
		}
		w.Header().Set("X-Done", "yes")
	})
	mux.HandleFunc("/sse", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "data: one\n\n")
		w.(http.Flusher).Flush()
		<-r.Context().Done()
		conns.Add(-1000) // the stream ended when the client left
	})
	mux.HandleFunc("/nocontent", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "websocket" || r.Header.Get("Connection") != "Upgrade" {
			http.Error(w, "no upgrade", 400)
			return
		}
		c, rw, _ := w.(http.Hijacker).Hijack()
		defer c.Close()
		rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
		rw.Flush()
		for {
			line, err := rw.ReadString('\n')
			if err != nil {
				return
			}
			rw.WriteString("echo " + line)
			rw.Flush()
		}
	})
	return mux
}

// plainRig: rigTable's router serving on its plain listener.
func plainRig(t testing.TB) (addr string, conns *atomic.Int64) {
	table, conns := rigTable(t)
	s := NewServer()
	s.Log = log.New(io.Discard, "", 0)
	s.table = table
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.ServePlain(l) }()
	t.Cleanup(func() {
		l.Close()
		s.Close()
		if err := <-done; err != nil {
			t.Errorf("ServePlain: %v", err)
		}
	})
	return l.Addr().String(), conns
}

// rigTable: a backend, and the table of projects a (web; idle: nothing
// listens; sec: redirects to https) and b (down). conns counts the
// backend's new connections.
func rigTable(t testing.TB) (*Table, *atomic.Int64) {
	conns := new(atomic.Int64)
	back := httptest.NewUnstartedServer(backendHandler(conns))
	back.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	back.Start()
	t.Cleanup(back.Close)
	a, _ := Build(Project{Name: "a", Services: []Service{{Name: "web", Ports: []int{80}}, {Name: "idle", Ports: []int{80}}, {Name: "sec", Ports: []int{80}, HTTPSRedirect: true}}}, nil)
	for i := range a.Routes {
		a.Routes[i].Backends = []string{back.Listener.Addr().String()}
		if a.Routes[i].Service == "idle" {
			a.Routes[i].Backends = []string{"127.0.0.1:1"}
		}
	}
	b, _ := Build(Project{Name: "b", Services: []Service{{Name: "web", Ports: []int{80}}}}, nil)
	b.Down = true
	return NewTable([]State{a, b}), conns
}

// raw sends a request as written and reads one response.
func raw(t *testing.T, c net.Conn, br *bufio.Reader, request, method string) (*http.Response, string) {
	t.Helper()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, request); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(br, &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%.60q: %v", request, err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%.60q: body: %v", request, err)
	}
	return resp, string(body)
}

// Request rewriting, pages and Host handling, several requests on one
// client connection (and one backend connection).
func TestPlainRequests(t *testing.T) {
	addr, conns := plainRig(t)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	br := bufio.NewReader(c)
	for _, tc := range []struct {
		name, request, method string
		code                  int
		want, header          []string
	}{
		{"plain", "GET / HTTP/1.1\r\nHost: web.a.localhost\r\nUser-Agent: t\r\n\r\n", "GET", 200,
			[]string{"host=web.a.localhost xff=127.0.0.1 xfh=web.a.localhost xfp=http fwd=\"\" ua=\"t\"", "proto=HTTP/1.1"}, nil},
		{"Host with port and upper case kept, no User-Agent added, hop-by-hop and forged forwarding dropped",
			"GET /x?y=1 HTTP/1.1\r\nHost: WEB.a.localhost:8080\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\nKeep-Alive: timeout=5\r\nX-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Host: web.b.localhost\r\nX-Forwarded-Proto: https\r\nForwarded: for=6.6.6.6\r\nTE: trailers\r\n\r\n", "GET", 200,
			[]string{"host=WEB.a.localhost:8080 xff=127.0.0.1 xfh=WEB.a.localhost:8080 xfp=http fwd=\"\" ua=\"\" conn=\"\" keep=\"\"", "te=\"trailers\""}, nil},
		{"absolute form", "GET http://web.a.localhost/abs HTTP/1.1\r\nHost: web.a.localhost\r\n\r\n", "GET", 200, []string{"host=web.a.localhost "}, nil},
		{"HEAD", "HEAD /size/5000 HTTP/1.1\r\nHost: web.a.localhost\r\n\r\n", "HEAD", 200, nil, []string{"Content-Length: 5000"}},
		{"204", "GET /nocontent HTTP/1.1\r\nHost: web.a.localhost\r\n\r\n", "GET", 204, nil, nil},
		{"chunked with a trailer", "GET /chunked HTTP/1.1\r\nHost: web.a.localhost\r\n\r\n", "GET", 200, []string{"part 0\npart 1\npart 2\n"}, []string{"Transfer-Encoding: chunked"}},
		{"down project", "GET / HTTP/1.1\r\nHost: web.b.localhost\r\n\r\n", "GET", 503, []string{"Project <b>b</b> is not running", "devstack up"}, nil},
		{"down project, HEAD", "HEAD / HTTP/1.1\r\nHost: web.b.localhost\r\n\r\n", "HEAD", 503, nil, nil},
		{"down project, a body (skipped)", "POST / HTTP/1.1\r\nHost: web.b.localhost\r\nContent-Length: 3\r\n\r\nGET", "POST", 503, nil, nil},
		{"unknown service", "GET / HTTP/1.1\r\nHost: nope.a.localhost\r\n\r\n", "GET", 404, []string{"has no service at <b>nope.a.localhost</b>"}, nil},
		{"unknown project", "GET / HTTP/1.1\r\nHost: web.zz.localhost\r\n\r\n", "GET", 404, []string{"No devstack project serves"}, nil},
		{"nothing listens", "GET / HTTP/1.1\r\nHost: idle.a.localhost\r\n\r\n", "GET", 502, []string{"idle</b> of project <b>a</b> does not answer"}, nil},
		{"redirect to https", "GET /p?q=1 HTTP/1.1\r\nHost: SEC.a.localhost:80\r\n\r\n", "GET", 307, nil, []string{"Location: https://sec.a.localhost/p?q=1"}},
		{"back after the others", "GET / HTTP/1.1\r\nHost: web.a.localhost\r\n\r\n", "GET", 200, []string{"host=web.a.localhost "}, nil},
	} {
		resp, body := raw(t, c, br, tc.request, tc.method)
		var head bytes.Buffer
		resp.Header.Write(&head)
		if resp.ContentLength >= 0 {
			fmt.Fprintf(&head, "Content-Length: %d\r\n", resp.ContentLength)
		}
		for _, te := range resp.TransferEncoding {
			fmt.Fprintf(&head, "Transfer-Encoding: %s\r\n", te)
		}
		if resp.StatusCode != tc.code || resp.Close {
			t.Errorf("%s: %s (close %v), want %d", tc.name, resp.Status, resp.Close, tc.code)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: body %q, want %q in it", tc.name, body, w)
			}
		}
		for _, h := range tc.header {
			if !strings.Contains(head.String(), h) {
				t.Errorf("%s: head %q, want %q in it", tc.name, head.String(), h)
			}
		}
		if tc.name == "chunked with a trailer" && resp.Trailer.Get("X-Done") != "yes" {
			t.Errorf("trailer %v", resp.Trailer)
		}
	}
	// One backend connection, kept while a request went to another
	// backend (idle's), and taken again after.
	if n := conns.Load(); n != 1 {
		t.Errorf("%d backend connections for one client connection, want 1", n)
	}
	// Connection: close is the last response, said so.
	resp, _ := raw(t, c, br, "GET / HTTP/1.1\r\nHost: web.a.localhost\r\nConnection: close\r\n\r\n", "GET")
	if !resp.Close {
		t.Error("Connection: close: the response did not say close")
	}
	if _, err := br.ReadByte(); err != io.EOF {
		t.Errorf("after Connection: close: %v, want EOF", err)
	}
}

// Requests the router refuses before any route: bad syntax, HTTP/1.1
// without Host, a head over the limit.
func TestPlainBadRequests(t *testing.T) {
	addr, _ := plainRig(t)
	for _, request := range []string{
		"GARBAGE\r\n\r\n",
		"GET / HTTP/1.1\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: web.a.localhost/x\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: evil@web.a.localhost\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: web.a.localhost\r\nX-Big: " + strings.Repeat("x", maxHeaderBytes+10) + "\r\n\r\n",
	} {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		resp, _ := raw(t, c, bufio.NewReader(c), request, "GET")
		if resp.StatusCode != http.StatusBadRequest || !resp.Close {
			t.Errorf("%.40q: %s close %v, want 400 and close", request, resp.Status, resp.Close)
		}
		c.Close()
	}
}

// Bodies both ways: sizes around the buffers' (and 5 MiB), uploads of
// known length and chunked (with a trailer), 100-continue, a backend that
// answers before reading an upload; the standard client on keep-alive.
func TestPlainBodies(t *testing.T) {
	addr, _ := plainRig(t)
	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return new(net.Dialer).DialContext(ctx, "tcp", addr)
		}, ExpectContinueTimeout: 5 * time.Second}}
	for _, n := range []int{0, 1, 100, 16<<10 - 1, 32 << 10, 32<<10 + 1, 1 << 20, 5 << 20} {
		resp, err := client.Get("http://web.a.localhost/size/" + strconv.Itoa(n))
		if err != nil {
			t.Fatalf("%d: %v", n, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || len(body) != n || resp.ContentLength != int64(n) || bytes.Count(body, []byte("x")) != n {
			t.Errorf("size %d: got %d bytes (length %d), %v", n, len(body), resp.ContentLength, err)
		}
	}
	for _, tc := range []struct {
		name    string
		n       int
		chunked bool
		expect  bool
	}{{"small", 10, false, false}, {"5 MiB", 5 << 20, false, false}, {"chunked", 3<<20 + 7, true, false}, {"100-continue", 1 << 20, false, true}} {
		data := bytes.Repeat([]byte("y"), tc.n)
		var body io.Reader = bytes.NewReader(data)
		if tc.chunked {
			body = io.MultiReader(body) // no length known: sent chunked
		}
		req, _ := http.NewRequest("POST", "http://web.a.localhost/upload", body)
		if tc.chunked {
			req.Trailer = http.Header{"X-Sum": {"abc"}}
		}
		if tc.expect {
			req.Header.Set("Expect", "100-continue")
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		want := fmt.Sprintf("%d %x <nil>", tc.n, sha256.Sum256(data))
		if !strings.HasPrefix(string(got), want) || (tc.chunked && !strings.Contains(string(got), `te=[chunked] trailer="abc"`)) {
			t.Errorf("%s upload: %q, want %q", tc.name, got, want)
		}
	}
	// A backend answering before it reads a large upload: the answer
	// reaches the client.
	req, _ := http.NewRequest("POST", "http://web.a.localhost/early", bytes.NewReader(make([]byte, 8<<20)))
	resp, err := client.Do(req)
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("early answer: %s", resp.Status)
		}
	} // else: the client saw the connection closed while still sending (allowed)
	if _, err := client.Get("http://web.a.localhost/"); err != nil {
		t.Errorf("after the early answer: %v", err)
	}
}

// Client connections of one request each (curl) take the backend
// connection the one before left: no new connection (and no name lookup)
// a request.
func TestPlainIdlePool(t *testing.T) {
	addr, conns := plainRig(t)
	for i := range 5 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		request := "GET / HTTP/1.1\r\nHost: web.a.localhost\r\n\r\n"
		if i%2 == 1 {
			request = "GET / HTTP/1.1\r\nHost: web.a.localhost\r\nConnection: close\r\n\r\n"
		}
		br := bufio.NewReader(c)
		if resp, _ := raw(t, c, br, request, "GET"); resp.StatusCode != 200 {
			t.Fatalf("request %d: %s", i, resp.Status)
		}
		c.Close()
		time.Sleep(20 * time.Millisecond) // the router sees the client leave
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d backend connections for 5 client connections one after another, want 1", n)
	}
}
