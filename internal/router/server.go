package router

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Server is the router: it serves every project's names from the state
// files devstack writes, HTTP/1.1 and HTTP/2 (TLS ALPN), WebSocket and
// streaming responses passed on as they come.
type Server struct {
	mu    sync.RWMutex
	table *Table
	certs map[string]*tls.Certificate
	next  atomic.Uint64
	proxy *httputil.ReverseProxy
	conns sync.Map // the plain listener's client connections
	idle  idlePool // and the backend connections they left
	Log   *log.Logger
}

// targetKey holds a request's backends, the one to try first first.
type targetKey struct{}

// NewServer is a router with no routes.
func NewServer() *Server {
	s := &Server{table: NewTable(nil), certs: map[string]*tls.Certificate{}, Log: log.New(os.Stderr, "", log.LstdFlags)}
	s.proxy = &httputil.ReverseProxy{
		Transport: failover{backendTransport()},
		// 0: a response of known length goes on in full buffers; the proxy
		// flushes at once by itself what streams (text/event-stream, and
		// a response of unknown length: chunked, long polls).
		FlushInterval: 0,
		BufferPool:    bufferPool{},
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Scheme = "http"
			pr.Out.URL.Host = pr.In.Context().Value(targetKey{}).([]string)[0]
			pr.Out.Host = pr.In.Host
			pr.SetXForwarded()
		},
		ErrorHandler: s.proxyError,
	}
	return s
}

// backendTransport keeps a pool of idle connections to each backend
// (the router is the only client of many: most requests reuse one), and
// passes bodies on as they are (no gzip asked for and undone).
func backendTransport() *http.Transport {
	return &http.Transport{
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          1024,
		MaxIdleConnsPerHost:   256,
		IdleConnTimeout:       90 * time.Second,
		DisableCompression:    true,
		ExpectContinueTimeout: time.Second,
		WriteBufferSize:       64 << 10,
		ReadBufferSize:        64 << 10,
	}
}

func (s *Server) proxyError(w http.ResponseWriter, r *http.Request, err error) {
	route, st := s.lookup(NormalizeHost(r.Host))
	if route == nil || st == nil || errors.Is(err, context.Canceled) {
		return
	}
	page(w, http.StatusBadGateway, fmt.Sprintf("%s of project %s does not answer", route.Service, st.Project),
		fmt.Sprintf("Service <b>%s</b> of project <b>%s</b> does not answer on port %d (%s). Is it running? <code>devstack ps</code>, <code>devstack logs %s</code>, or start it with <code>devstack up</code>.",
			html.EscapeString(route.Service), html.EscapeString(st.Project), route.Port, html.EscapeString(err.Error()), html.EscapeString(route.Service)))
}

// bufferPool lends the proxy's copy buffers again and again: 256 KiB, so
// a large body goes on in fewer reads and writes than with 32 KiB ones
// (measured: about a fifth less of the router's CPU on 1 MiB bodies).
type bufferPool struct{}

var buffers = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}

func (bufferPool) Get() []byte  { return *buffers.Get().(*[]byte) }
func (bufferPool) Put(b []byte) { buffers.Put(&b) }

// Load reads every PROJECT.json in dir and replaces the table. A file
// that does not parse is left out, and said; the others still serve.
func (s *Server) Load(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return err
	}
	var states []State
	certs := map[string]*tls.Certificate{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		var st State
		if err == nil {
			err = json.Unmarshal(data, &st)
		}
		if err != nil {
			s.Log.Printf("%s: %v: left out", f, err)
			continue
		}
		states = append(states, st)
		for _, r := range st.Routes {
			if r.Cert == "" {
				continue
			}
			pair, err := tls.X509KeyPair([]byte(r.Cert), []byte(r.Key))
			if err != nil {
				s.Log.Printf("%s: certificate of %s: %v", f, r.Host, err)
				continue
			}
			certs[r.Host] = &pair
		}
	}
	t := NewTable(states)
	s.mu.Lock()
	s.table, s.certs = t, certs
	s.mu.Unlock()
	s.idle.closeAll()
	s.Log.Printf("serving %d names of %d projects", t.Len(), len(states))
	return nil
}

// GetCertificate picks the certificate by SNI; a name no project serves
// gets none (the handshake fails).
func (s *Server) GetCertificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	name := NormalizeHost(hello.ServerName)
	s.mu.RLock()
	c := s.certs[name]
	s.mu.RUnlock()
	if c == nil {
		return nil, fmt.Errorf("no certificate for %q", hello.ServerName)
	}
	return c, nil
}

// TLSConfig is the HTTPS listener's configuration.
func (s *Server) TLSConfig() *tls.Config {
	return &tls.Config{GetCertificate: s.GetCertificate, MinVersion: tls.VersionTLS12}
}

func (s *Server) lookup(host string) (*Route, *State) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.table.Lookup(host)
}

// ServeHTTP routes by Host (pick), through httputil.ReverseProxy: the
// HTTPS listener's handler, HTTP/1.1 and HTTP/2.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if route := s.pick(w, r); route != nil {
		s.proxy.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), targetKey{}, Rotate(route.Backends, s.next.Add(1)))))
	}
}

// pick is the route r goes to, or nil when w got the answer: a page (no
// such name, the project down, no container running) or a redirect to
// https://. Over TLS the Host must be the name the connection was made
// for (SNI): a request for another project's name on this connection is
// refused (421), so no Host header reaches a project its certificate was
// not made for.
func (s *Server) pick(w http.ResponseWriter, r *http.Request) *Route {
	host := NormalizeHost(r.Host)
	if r.TLS != nil && NormalizeHost(r.TLS.ServerName) != host {
		page(w, http.StatusMisdirectedRequest, "Misdirected request", "This connection was made for another name: connect again for <b>"+html.EscapeString(host)+"</b>.")
		return nil
	}
	route, st := s.lookup(host)
	switch {
	case st == nil:
		page(w, http.StatusNotFound, "No project here", "No devstack project serves <b>"+html.EscapeString(host)+"</b>. <code>devstack router status</code> lists the names served.")
	case st.Down:
		page(w, http.StatusServiceUnavailable, "Project "+st.Project+" is down",
			"Project <b>"+html.EscapeString(st.Project)+"</b> is not running. Start it with <code>devstack up</code> in its directory.")
	case route == nil:
		page(w, http.StatusNotFound, "No such service in "+st.Project,
			"Project <b>"+html.EscapeString(st.Project)+"</b> has no service at <b>"+html.EscapeString(host)+"</b>. <code>devstack ps</code> shows its URLs.")
	case len(route.Backends) == 0:
		page(w, http.StatusServiceUnavailable, route.Service+" of project "+st.Project+" is not running",
			"Service <b>"+html.EscapeString(route.Service)+"</b> of project <b>"+html.EscapeString(st.Project)+"</b> has no running container. Start it with <code>devstack up</code>.")
	case r.TLS == nil && route.HTTPSRedirect:
		target := "https://" + host
		if st.HTTPSPort != 0 && st.HTTPSPort != 443 {
			target += ":" + strconv.Itoa(st.HTTPSPort)
		}
		http.Redirect(w, r, target+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	default:
		return route
	}
	return nil
}

// page answers with a small HTML page.
func page(w http.ResponseWriter, code int, title, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	fmt.Fprintf(w, "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>%s</title></head>\n<body style=\"font-family:sans-serif;max-width:40em;margin:4em auto\">\n<h1>%s</h1>\n<p>%s</p>\n<p style=\"color:#888\">devstack router · %d %s</p>\n</body></html>\n",
		html.EscapeString(title), html.EscapeString(title), body, code, strings.ToLower(http.StatusText(code)))
}
