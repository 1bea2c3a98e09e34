package router

import (
	"net/http"
	"strings"
)

// The plain listener's request and response rewriting, as
// httputil.ReverseProxy does it with SetXForwarded: hop-by-hop headers
// dropped (an Upgrade kept for the backend), the client's Forwarded and
// X-Forwarded-* replaced by the router's own.

// hopHeaders are the headers of one connection, never passed on.
var hopHeaders = []string{
	"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate",
	"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade",
}

// hasToken: one of a header's comma-separated values is token (case
// insensitive), as in Connection: keep-alive, Upgrade.
func hasToken(values []string, token string) bool {
	for _, v := range values {
		for v != "" {
			var item string
			item, v, _ = strings.Cut(v, ",")
			if strings.EqualFold(strings.TrimSpace(item), token) {
				return true
			}
		}
	}
	return false
}

// upgradeType is the protocol a request or response switches to ("" for
// none): Upgrade, when Connection lists it.
func upgradeType(h http.Header) string {
	if !hasToken(h["Connection"], "Upgrade") {
		return ""
	}
	return h.Get("Upgrade")
}

// removeHop deletes the hop-by-hop headers and those Connection names.
func removeHop(h http.Header) {
	for _, v := range h["Connection"] {
		for v != "" {
			var item string
			item, v, _ = strings.Cut(v, ",")
			if item = strings.TrimSpace(item); item != "" {
				h.Del(item)
			}
		}
	}
	for _, k := range hopHeaders {
		delete(h, k)
	}
}

// rewriteRequest makes req, read from a client at clientIP, the request
// to send to a backend: the same method, target, Host (as the client sent
// it, port and case too) and body; hop-by-hop headers dropped, an Upgrade
// kept; X-Forwarded-For/Host/Proto the router's (the client's, and its
// Forwarded, dropped: they cannot be trusted); no User-Agent added where
// the client sent none; the backend connection kept open.
func rewriteRequest(req *http.Request, clientIP, proto string) {
	h := req.Header
	up := upgradeType(h)
	trailers := hasToken(h["Te"], "trailers")
	if len(h["Connection"]) > 0 || len(h["Keep-Alive"]) > 0 || len(h["Upgrade"]) > 0 || len(h["Te"]) > 0 ||
		len(h["Proxy-Connection"]) > 0 || len(h["Proxy-Authorization"]) > 0 || len(h["Proxy-Authenticate"]) > 0 {
		removeHop(h)
	}
	if trailers {
		h["Te"] = []string{"trailers"}
	}
	if up != "" {
		h["Connection"] = []string{"Upgrade"}
		h["Upgrade"] = []string{up}
	}
	delete(h, "Forwarded")
	h["X-Forwarded-For"] = []string{clientIP}
	h["X-Forwarded-Host"] = []string{req.Host}
	h["X-Forwarded-Proto"] = []string{proto}
	if _, ok := h["User-Agent"]; !ok {
		h["User-Agent"] = []string{""} // req.Write would add Go's
	}
	req.Close = false
}

// bodyAllowed: a response to req with this status carries a body.
func bodyAllowed(req *http.Request, status int) bool {
	return req.Method != http.MethodHead && status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

// validHost: a Host header net/http's server would take (no spaces,
// controls or characters that end a name in a URL); UTF-8 (an IDN) is.
func validHost(h string) bool {
	for i := 0; i < len(h); i++ {
		if c := h[i]; c <= ' ' || c == 0x7f || strings.IndexByte("\"#/<>?@\\^`{|}", c) >= 0 {
			return false
		}
	}
	return true
}
