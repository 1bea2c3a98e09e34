package router

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The plain listener's responses: the backend's passed on, and the
// router's own pages.

// writeHead writes resp's status line and headers to the client's
// buffer, then extra (whole header lines: the framing, which is the
// caller's) and the blank line that ends the head.
func (p *plainConn) writeHead(resp *http.Response, extra []string) error {
	w := p.bw
	w.WriteString("HTTP/1.1 ")
	if resp.Status != "" {
		w.WriteString(resp.Status)
	} else {
		w.WriteString(strconv.Itoa(resp.StatusCode) + " " + http.StatusText(resp.StatusCode))
	}
	w.WriteString("\r\n")
	if err := resp.Header.Write(w); err != nil {
		return err
	}
	for _, e := range extra {
		w.WriteString(e)
	}
	_, err := w.WriteString("\r\n")
	return err
}

// respond passes the backend's response on; false: the connection to the
// client cannot carry another request (keep says whether it may).
func (p *plainConn) respond(req *http.Request, resp *http.Response, keep bool) bool {
	b := p.back
	backOK := !resp.Close
	removeHop(resp.Header)
	length := resp.ContentLength
	withBody := bodyAllowed(req, resp.StatusCode)
	var extra []string
	switch {
	case !withBody: // HEAD, 204, 304: their Content-Length header says what a GET would get
	case length >= 0:
		delete(resp.Header, "Content-Length")
		extra = append(extra, "Content-Length: "+strconv.FormatInt(length, 10)+"\r\n")
	case keep:
		extra = append(extra, "Transfer-Encoding: chunked\r\n")
		if len(resp.Trailer) > 0 {
			keys := make([]string, 0, len(resp.Trailer))
			for k := range resp.Trailer {
				keys = append(keys, k)
			}
			extra = append(extra, "Trailer: "+strings.Join(keys, ", ")+"\r\n")
		}
	}
	if !keep {
		extra = append(extra, "Connection: close\r\n")
	}
	if p.writeHead(resp, extra) != nil {
		p.dropBack()
		return false
	}
	var err error
	switch {
	case !withBody:
		err = p.bw.Flush()
	case length >= 0:
		err = p.copyKnown(b, length)
	default:
		err = p.stream(req, resp, keep)
	}
	if err != nil {
		p.dropBack()
		return false
	}
	if !backOK {
		p.dropBack()
	}
	return true
}

// copyKnown passes on a body of n bytes: what the backend's reader holds
// already through the client's buffer (with the head: one write for a
// small response), the rest straight from connection to connection
// (splice(2) on Linux: the bytes do not pass through the router's memory),
// or over TLS in 256 KiB pieces.
func (p *plainConn) copyKnown(b *backConn, n int64) error {
	if k := int64(b.br.Buffered()); k > 0 {
		k = min(k, n)
		data, _ := b.br.Peek(int(k))
		p.bw.Write(data)
		b.br.Discard(int(k))
		n -= k
	}
	if err := p.bw.Flush(); err != nil || n == 0 {
		return err
	}
	if p.tls != nil { // encrypted here: in large pieces, fewer writes
		buf := buffers.Get().(*[]byte)
		defer buffers.Put(buf)
		_, err := io.CopyBuffer(p.c, io.LimitReader(b.c, n), *buf)
		return err
	}
	_, err := io.CopyN(p.c, b.c, n)
	return err
}

// stream passes on a body of unknown length (chunked, or to the end of
// the connection) as it comes: server-sent events, long polls. Meanwhile
// the client's connection is watched, so a client that leaves ends a
// stream that has nothing to send.
func (p *plainConn) stream(req *http.Request, resp *http.Response, chunked bool) error {
	gone := make(chan struct{})
	if req.Body == nil || req.Body == http.NoBody || req.Body.(*bodyWatch).done.Load() {
		back := p.back.c
		go func() {
			defer close(gone)
			if _, err := p.br.Peek(1); err != nil && !isTimeout(err) {
				back.Close()
			}
		}()
	} else {
		close(gone)
	}
	defer func() {
		_ = p.c.SetReadDeadline(time.Unix(1, 0))
		<-gone
		_ = p.c.SetReadDeadline(time.Now().Add(idleTimeout))
	}()
	buf := buffers.Get().(*[]byte)
	defer buffers.Put(buf)
	for {
		n, rerr := resp.Body.Read(*buf)
		if n > 0 {
			if chunked {
				p.bw.WriteString(strconv.FormatInt(int64(n), 16) + "\r\n")
			}
			p.bw.Write((*buf)[:n])
			if chunked {
				p.bw.WriteString("\r\n")
			}
			if err := p.bw.Flush(); err != nil {
				return err
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return rerr
		}
	}
	if !chunked {
		return p.bw.Flush()
	}
	p.bw.WriteString("0\r\n")
	for k, vs := range resp.Trailer {
		for _, v := range vs {
			p.bw.WriteString(k + ": " + v + "\r\n")
		}
	}
	p.bw.WriteString("\r\n")
	return p.bw.Flush()
}

// tunnel passes a switched protocol (WebSocket) on both ways until either
// side ends it, then closes both connections.
func (p *plainConn) tunnel(resp *http.Response) {
	b := p.back
	p.back = nil
	defer b.c.Close()
	if p.writeHead(resp, nil) != nil || p.bw.Flush() != nil {
		return
	}
	_ = p.c.SetReadDeadline(time.Time{})
	done := make(chan struct{}, 2)
	go func() { _, _ = p.br.WriteTo(b.c); done <- struct{}{} }()
	go func() { _, _ = b.br.WriteTo(p.c); done <- struct{}{} }()
	<-done
	b.c.Close()
	p.c.Close()
	<-done
}

// pageWriter holds one of the router's own pages (or a redirect) until
// it is written out.
type pageWriter struct {
	h    http.Header
	code int
	body []byte
}

func (w *pageWriter) Header() http.Header {
	if w.h == nil {
		w.h = http.Header{}
	}
	return w.h
}

func (w *pageWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}

func (w *pageWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.body = append(w.body, b...)
	return len(b), nil
}

// writePage answers req with w's page.
func (p *plainConn) writePage(req *http.Request, w *pageWriter, keep bool) error {
	extra := []string{"Content-Length: " + strconv.Itoa(len(w.body)) + "\r\n"}
	if !keep {
		extra = append(extra, "Connection: close\r\n")
	}
	if err := p.writeHead(&http.Response{StatusCode: w.code, Header: w.h}, extra); err != nil {
		return err
	}
	if req.Method != http.MethodHead {
		p.bw.Write(w.body)
	}
	return p.bw.Flush()
}
