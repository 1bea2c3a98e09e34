package router

import (
	"bufio"
	"crypto/tls"
	"errors"
	"io"
	"math"
	"net"
	"net/http"
	"slices"
	"sync/atomic"
	"time"
)

// The plain listener (http://) is the router's own HTTP/1.1 proxy: each
// client connection is paired with one connection to the backend its
// requests go to, requests are read and written with the standard
// library's HTTP/1.1 parser and writer (http.ReadRequest, Request.Write,
// http.ReadResponse), and bodies of known length go on with splice. It
// costs a request about half the CPU of net/http's server and
// httputil.ReverseProxy's client together, which matters where every CPU
// is busy. HTTP/1.1 over TLS goes the same way (ServeTLS); HTTP/2 stays on
// net/http (NewHTTPServer).

const (
	idleTimeout    = 5 * time.Minute // a client connection waiting for its next request
	maxHeaderBytes = 1 << 20         // as net/http's default
)

// headTimeout is how long a request's head may take once its first byte
// came (NewHTTPServer's ReadHeaderTimeout).
var headTimeout = 30 * time.Second

// ServePlain serves plain HTTP/1.1 connections from l until l is closed
// (nil) or fails. Connections being served are closed by Close.
func (s *Server) ServePlain(l net.Listener) error {
	return s.accept(l, func(c net.Conn) { s.serveConn(c, nil) })
}

// accept runs serve on each connection of l, each in a goroutine, until l
// is closed (nil) or fails.
func (s *Server) accept(l net.Listener, serve func(net.Conn)) error {
	var delay time.Duration
	for {
		c, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			if ne, ok := err.(interface{ Temporary() bool }); ok && ne.Temporary() { // out of file descriptors: wait
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				time.Sleep(delay)
				continue
			}
			return err
		}
		delay = 0
		go serve(c)
	}
}

// Close closes every connection ServePlain serves (its listener is the
// caller's to close).
func (s *Server) Close() {
	s.conns.Range(func(k, _ any) bool { k.(net.Conn).Close(); return true })
}

// plainConn is one client connection and the backend connection paired
// with it.
type plainConn struct {
	s        *Server
	c        net.Conn
	tls      *tls.ConnectionState // nil: plain http
	limit    *limitReader
	br       *bufio.Reader
	bw       *bufio.Writer
	clientIP string
	back     *backConn
}

// backConn is a connection to a backend.
type backConn struct {
	addr  string
	c     net.Conn
	br    *bufio.Reader
	bw    *bufio.Writer
	used  bool      // it carried a request already: the backend may have closed it since
	since time.Time // kept idle since (idlePool)
}

var dialer = &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}

// serveConn serves one HTTP/1.1 connection, plain (state nil) or TLS.
func (s *Server) serveConn(c net.Conn, state *tls.ConnectionState) {
	s.conns.Store(c, nil)
	defer s.conns.Delete(c)
	p := &plainConn{s: s, c: c, tls: state, limit: &limitReader{r: c}}
	p.br, p.bw = bufio.NewReaderSize(p.limit, 16<<10), bufio.NewWriterSize(c, 32<<10)
	p.clientIP, _, _ = net.SplitHostPort(c.RemoteAddr().String())
	defer p.close()
	for {
		_ = c.SetReadDeadline(time.Now().Add(idleTimeout))
		p.limit.n = maxHeaderBytes
		_, err := p.br.Peek(1)
		var req *http.Request
		if err == nil {
			_ = c.SetReadDeadline(time.Now().Add(headTimeout))
			req, err = http.ReadRequest(p.br)
		}
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) && !isTimeout(err) {
				p.refuse()
			}
			return
		}
		p.limit.n = math.MaxInt64
		if !p.serve(req) {
			return
		}
	}
}

// refuse answers a request that cannot be read (or has no Host) with 400
// and ends the connection, reading on a while what the client still sends
// so that the answer is not lost to a reset.
func (p *plainConn) refuse() {
	_, _ = io.WriteString(p.c, "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request")
	if tc, ok := p.c.(interface{ CloseWrite() error }); ok {
		_ = tc.CloseWrite()
	}
	_ = p.c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	_, _ = io.Copy(io.Discard, io.LimitReader(p.c, 4<<20))
}

// close ends the client connection; its backend connection, between
// responses whenever it is still paired, is kept for another.
func (p *plainConn) close() {
	p.release()
	p.c.Close()
}

// release gives the backend connection, between responses, to the pool.
func (p *plainConn) release() {
	if p.back != nil {
		p.s.idle.put(p.back)
		p.back = nil
	}
}

// dropBack closes the backend connection (broken, or in a state no
// other request can follow).
func (p *plainConn) dropBack() {
	if p.back != nil {
		p.back.c.Close()
		p.back = nil
	}
}

// serve answers one request; false: the client connection is done.
func (p *plainConn) serve(req *http.Request) bool {
	if req.ProtoMajor != 1 || (req.ProtoMinor >= 1 && req.Host == "") || !validHost(req.Host) {
		p.refuse()
		return false
	}
	req.TLS = p.tls // pick: over TLS, the Host must be the connection's name
	keep := !req.Close && req.ProtoAtLeast(1, 1)
	hasBody := req.Body != nil && req.Body != http.NoBody
	var pw pageWriter
	route := p.s.pick(&pw, req)
	if route == nil {
		// The body nobody reads: skipped when short, else the connection
		// ends after the page (what is left of it is no next request).
		if hasBody {
			n, _ := io.CopyN(io.Discard, req.Body, 256<<10+1)
			keep = keep && n <= 256<<10 && req.Body.Close() == nil
		}
		return p.writePage(req, &pw, keep) == nil && keep
	}
	if hasBody && hasToken(req.Header["Expect"], "100-continue") {
		// The client waits for this before it sends the body.
		delete(req.Header, "Expect")
		if _, err := p.bw.WriteString("HTTP/1.1 100 Continue\r\n\r\n"); err != nil || p.bw.Flush() != nil {
			return false
		}
	}
	proto := "http"
	if p.tls != nil {
		proto = "https"
	}
	rewriteRequest(req, p.clientIP, proto)
	upgrade := len(req.Header["Upgrade"]) > 0
	if hasBody || upgrade {
		_ = p.c.SetReadDeadline(time.Time{}) // a body or a tunnel takes its time
	}
	var body *bodyWatch
	if hasBody {
		body = &bodyWatch{ReadCloser: req.Body}
		req.Body = body
	}
	resp, pending, err := p.roundTrip(route, req, hasBody)
	if err != nil {
		pw = pageWriter{}
		p.s.proxyError(&pw, req, err)
		if pw.code == 0 { // the client went away
			return false
		}
		return p.writePage(req, &pw, keep && !hasBody) == nil && keep && !hasBody
	}
	if resp.StatusCode == http.StatusSwitchingProtocols && upgrade {
		p.tunnel(resp)
		return false
	}
	keep = p.respond(req, resp, keep) && keep
	if pending != nil && !p.finishBody(body, pending) {
		return false
	}
	return keep
}

// finishBody waits for the request body's sending to end: at once when
// the client sent it all; when the backend answered before reading it,
// both connections are given up (what is left of the body cannot be told
// from the next request).
func (p *plainConn) finishBody(body *bodyWatch, pending chan error) bool {
	if !body.done.Load() {
		p.dropBack()
		_ = p.c.SetReadDeadline(time.Unix(1, 0))
		<-pending
		return false
	}
	if err := <-pending; err != nil {
		p.dropBack()
		return false
	}
	return true
}

// backend is the connection to one of route's backends: the one paired
// with the client connection while it is one of them, else one to the
// next, round-robin (kept idle, or new; the next backend when one cannot
// be connected to).
func (p *plainConn) backend(route *Route) (*backConn, error) {
	if p.back != nil && slices.Contains(route.Backends, p.back.addr) {
		return p.back, nil
	}
	p.release()
	n := int(p.s.next.Add(1) % uint64(len(route.Backends)))
	var err error
	for i := range route.Backends {
		addr := route.Backends[(n+i)%len(route.Backends)]
		if p.back = p.s.idle.get(addr); p.back != nil {
			return p.back, nil
		}
		var c net.Conn
		if c, err = dialer.Dial("tcp", addr); err == nil {
			p.back = &backConn{addr: addr, c: c, br: bufio.NewReaderSize(c, 32<<10), bw: bufio.NewWriterSize(c, 16<<10)}
			return p.back, nil
		}
	}
	return nil, err
}

// roundTrip sends req and reads the backend's final response (1xx ones
// go on to the client as they come). A request without a body that meets
// a kept connection the backend had closed is sent again on a new one;
// one with a body is sent by a goroutine while the response is read
// (pending: its outcome), so a backend may answer before reading it all.
func (p *plainConn) roundTrip(route *Route, req *http.Request, hasBody bool) (*http.Response, chan error, error) {
	for {
		b, err := p.backend(route)
		if err != nil {
			return nil, nil, err
		}
		reused := b.used
		b.used = true
		if hasBody {
			if reused && stale(b.c) {
				p.dropBack()
				continue
			}
			pending := make(chan error, 1)
			go func() {
				err := req.Write(b.bw)
				if err == nil {
					err = b.bw.Flush()
				}
				pending <- err
			}()
			resp, err := p.readResponse(b, req)
			if err != nil {
				p.dropBack()
				_ = p.c.SetReadDeadline(time.Unix(1, 0))
				<-pending
				return nil, nil, err
			}
			return resp, pending, nil
		}
		err = req.Write(b.bw)
		if err == nil {
			err = b.bw.Flush()
		}
		if err == nil {
			_, err = b.br.Peek(1)
		}
		if err != nil {
			p.dropBack()
			if reused { // nothing came back on a kept connection: once more on a new one
				continue
			}
			return nil, nil, err
		}
		resp, err := p.readResponse(b, req)
		if err != nil {
			p.dropBack()
			return nil, nil, err
		}
		return resp, nil, nil
	}
}

// readResponse reads the final response to req, passing 1xx ones (100
// Continue, 103 Early Hints) on to the client.
func (p *plainConn) readResponse(b *backConn, req *http.Request) (*http.Response, error) {
	for {
		resp, err := http.ReadResponse(b.br, req)
		if err != nil || resp.StatusCode >= 200 || resp.StatusCode == http.StatusSwitchingProtocols {
			return resp, err
		}
		if err := p.writeHead(resp, nil); err != nil {
			return nil, err
		}
		if err := p.bw.Flush(); err != nil {
			return nil, err
		}
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// limitReader reads at most n bytes more from r (the request head's
// limit; unlimited for bodies).
type limitReader struct {
	r io.Reader
	n int64
}

var errHeaderTooLarge = errors.New("request head too large")

func (l *limitReader) Read(b []byte) (int, error) {
	if l.n <= 0 {
		return 0, errHeaderTooLarge
	}
	if int64(len(b)) > l.n {
		b = b[:l.n]
	}
	n, err := l.r.Read(b)
	l.n -= int64(n)
	return n, err
}

// bodyWatch tells whether a request body was read to its end.
type bodyWatch struct {
	io.ReadCloser
	done atomic.Bool
}

func (b *bodyWatch) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.done.Store(true)
	}
	return n, err
}
