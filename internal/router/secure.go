package router

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"
)

// The HTTPS listener: the router makes each connection's handshake (the
// certificate by SNI, ALPN offering h2 and http/1.1); HTTP/2 connections
// go on to net/http's server (hs, from NewHTTPServer), HTTP/1.1 ones
// through the router's own proxy as plain ones do, as https.

const handshakeTimeout = 10 * time.Second

// ServeTLS serves HTTPS on l until l is closed (nil) or fails; hs serves
// the HTTP/2 connections (its Shutdown ends that part).
func (s *Server) ServeTLS(l net.Listener, hs *http.Server) error {
	cfg := s.TLSConfig()
	cfg.NextProtos = []string{"h2", "http/1.1"}
	h2 := &connQueue{addr: l.Addr(), c: make(chan net.Conn), done: make(chan struct{})}
	hs.TLSConfig = cfg
	served := make(chan error, 1)
	go func() { served <- hs.Serve(h2) }()
	err := s.accept(l, func(c net.Conn) { s.handshake(tls.Server(c, cfg), h2) })
	h2.Close()
	if serr := <-served; err == nil && !errors.Is(serr, http.ErrServerClosed) && !errors.Is(serr, net.ErrClosed) {
		err = serr
	}
	return err
}

// handshake makes c's TLS handshake and hands the connection on.
func (s *Server) handshake(c *tls.Conn, h2 *connQueue) {
	ctx, cancel := context.WithTimeout(context.Background(), handshakeTimeout)
	err := c.HandshakeContext(ctx)
	cancel()
	if err != nil {
		c.Close() // a name no project serves, or no TLS at all
		return
	}
	state := c.ConnectionState()
	if state.NegotiatedProtocol == "h2" {
		h2.push(c)
		return
	}
	s.serveConn(c, &state)
}

// connQueue is a net.Listener of the connections handed to it.
type connQueue struct {
	addr net.Addr
	c    chan net.Conn
	done chan struct{}
	once sync.Once
}

func (q *connQueue) push(c net.Conn) {
	select {
	case q.c <- c:
	case <-q.done:
		c.Close()
	}
}

func (q *connQueue) Accept() (net.Conn, error) {
	select {
	case c := <-q.c:
		return c, nil
	case <-q.done:
		return nil, net.ErrClosed
	}
}

func (q *connQueue) Close() error {
	q.once.Do(func() { close(q.done) })
	return nil
}

func (q *connQueue) Addr() net.Addr { return q.addr }
