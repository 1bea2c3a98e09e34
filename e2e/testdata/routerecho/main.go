// Command routerecho is the e2e stand-in for a web app behind devstack's
// router (serve: WebSocket echo at /ws, server-sent events at /sse, N bytes
// at /size/N for bench's router benchmark) and the client that checks both
// through the router from the host (ws, sse).
// Standard library only; the harness builds it static into PATH.
package main

import (
	"bufio"
	"crypto/rand"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

const wsGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

var chunk = make([]byte, 64<<10)

func main() {
	if len(os.Args) < 2 {
		fail("usage: routerecho serve | ws URL CAFILE | sse URL CAFILE")
	}
	switch os.Args[1] {
	case "serve":
		serve()
	case "ws":
		wsClient(os.Args[2], os.Args[3])
	case "sse":
		sseClient(os.Args[2], os.Args[3])
	default:
		fail("unknown mode " + os.Args[1])
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "routerecho:", msg)
	os.Exit(1)
}

func accept(key string) string {
	h := sha1.Sum([]byte(key + wsGUID))
	return base64.StdEncoding.EncodeToString(h[:])
}

func serve() {
	http.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			http.Error(w, "websocket only", http.StatusBadRequest)
			return
		}
		c, rw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer c.Close()
		fmt.Fprintf(rw, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n", accept(r.Header.Get("Sec-WebSocket-Key")))
		rw.Flush()
		for {
			op, payload, err := readFrame(rw.Reader)
			if err != nil || op == 8 {
				return
			}
			writeFrame(rw.Writer, op, []byte("echo: "+string(payload)), false)
			rw.Flush()
		}
	})
	http.HandleFunc("/sse", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i := 1; i <= 5; i++ {
			fmt.Fprintf(w, "data: tick %d\n\n", i)
			w.(http.Flusher).Flush()
			time.Sleep(300 * time.Millisecond)
		}
	})
	http.HandleFunc("/size/", func(w http.ResponseWriter, r *http.Request) {
		// /size/N: N bytes of known length (the benchmark's bodies)
		n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/size/"))
		if err != nil || n < 0 || n > 64<<20 {
			http.Error(w, "bad size", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(n))
		for n > 0 {
			k := min(n, len(chunk))
			if _, err := w.Write(chunk[:k]); err != nil {
				return
			}
			n -= k
		}
	})
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "routerecho %s xfp=%s\n", r.Host, r.Header.Get("X-Forwarded-Proto"))
	})
	fail(http.ListenAndServe(":8080", nil).Error())
}

func readFrame(r *bufio.Reader) (byte, []byte, error) {
	var h [2]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, nil, err
	}
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return 0, nil, err
		}
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return 0, nil, err
		}
		n = binary.BigEndian.Uint64(b[:])
	}
	var mask [4]byte
	masked := h[1]&0x80 != 0
	if masked {
		if _, err := io.ReadFull(r, mask[:]); err != nil {
			return 0, nil, err
		}
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(r, p); err != nil {
		return 0, nil, err
	}
	if masked {
		for i := range p {
			p[i] ^= mask[i%4]
		}
	}
	return h[0] & 0x0f, p, nil
}

func writeFrame(w io.Writer, op byte, p []byte, mask bool) {
	b := []byte{0x80 | op}
	m := byte(0)
	if mask {
		m = 0x80
	}
	switch {
	case len(p) < 126:
		b = append(b, m|byte(len(p)))
	default:
		b = append(b, m|126, byte(len(p)>>8), byte(len(p)))
	}
	if mask {
		var k [4]byte
		rand.Read(k[:])
		b = append(b, k[:]...)
		q := make([]byte, len(p))
		for i := range p {
			q[i] = p[i] ^ k[i%4]
		}
		p = q
	}
	w.Write(append(b, p...))
}

// tlsTo dials the router for u on loopback (Go's resolver does not know
// *.localhost) with the CA in caFile.
func tlsTo(u *url.URL, caFile string) *tls.Config {
	pem, err := os.ReadFile(caFile)
	if err != nil {
		fail(err.Error())
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	return &tls.Config{RootCAs: roots, ServerName: u.Hostname(), NextProtos: []string{"http/1.1"}}
}

func loopback(u *url.URL) string {
	port := u.Port()
	if port == "" && u.Scheme == "http" {
		port = "80"
	} else if port == "" {
		port = "443"
	}
	return "127.0.0.1:" + port
}

func wsClient(raw, caFile string) {
	u, _ := url.Parse(raw)
	var c net.Conn
	var err error
	if u.Scheme == "http" {
		c, err = net.Dial("tcp", loopback(u))
	} else {
		c, err = tls.Dial("tcp", loopback(u), tlsTo(u, caFile))
	}
	if err != nil {
		fail(err.Error())
	}
	defer c.Close()
	key := base64.StdEncoding.EncodeToString([]byte("devstack-e2e-key!"))
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: %s\r\n\r\n", u.RequestURI(), u.Host, key)
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		fail(err.Error())
	}
	if resp.StatusCode != 101 || resp.Header.Get("Sec-WebSocket-Accept") != accept(key) {
		fail(fmt.Sprintf("handshake: %s", resp.Status))
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	for _, msg := range []string{"hello", "through the router"} {
		writeFrame(c, 1, []byte(msg), true)
		_, p, err := readFrame(br)
		if err != nil {
			fail(err.Error())
		}
		fmt.Println(string(p))
	}
	writeFrame(c, 8, nil, true)
}

func sseClient(raw, caFile string) {
	u, _ := url.Parse(raw)
	cfg := tlsTo(u, caFile)
	cfg.NextProtos = nil
	tr := &http.Transport{TLSClientConfig: cfg, ForceAttemptHTTP2: true,
		Dial: func(string, string) (net.Conn, error) { return net.Dial("tcp", loopback(u)) }}
	start := time.Now()
	resp, err := (&http.Client{Transport: tr, Timeout: 20 * time.Second}).Get(raw)
	if err != nil {
		fail(err.Error())
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	var first time.Duration
	n := 0
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "data: ") {
			if n++; n == 1 {
				first = time.Since(start)
			}
		}
	}
	total := time.Since(start)
	// The server sends an event every 300 ms: streamed, the first arrives
	// long before the last.
	fmt.Printf("%s events=%d streamed=%v\n", resp.Proto, n, first < total/2)
}
