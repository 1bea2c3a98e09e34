package router

import (
	"io"
	"log"
	"net/http"
	"time"
)

// NewHTTPServer is a net/http server for s: with secure, the one ServeTLS
// hands HTTP/2 connections to (TLS configured from s's TLSConfig). HTTP/2 gets receive
// windows large enough that an upload of several MB is never held back by
// flow control on a fast loopback, and frames of up to 1 MiB from clients
// that send them; idle keep-alive connections are kept a while (browsers
// and benchmarks reuse them) and then closed.
func NewHTTPServer(s *Server, secure bool) *http.Server {
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       5 * time.Minute,
		ErrorLog:          log.New(io.Discard, "", 0), // refused handshakes for names nobody serves are no news
		HTTP2: &http.HTTP2Config{
			MaxConcurrentStreams:          1000,
			MaxReadFrameSize:              1 << 20,
			MaxReceiveBufferPerConnection: 32 << 20,
			MaxReceiveBufferPerStream:     8 << 20,
		},
	}
	if secure {
		hs.TLSConfig = s.TLSConfig()
	}
	return hs
}
