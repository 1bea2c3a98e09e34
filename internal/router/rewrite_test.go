package router

import (
	"net/http"
	"reflect"
	"testing"
)

func TestHasTokenAndUpgrade(t *testing.T) {
	for _, c := range []struct {
		values []string
		token  string
		want   bool
	}{
		{[]string{"Upgrade"}, "upgrade", true},
		{[]string{"keep-alive, Upgrade"}, "Upgrade", true},
		{[]string{"keep-alive", " upgrade "}, "Upgrade", true},
		{[]string{"Upgrades"}, "Upgrade", false},
		{[]string{"100-continue"}, "100-continue", true},
		{nil, "Upgrade", false},
	} {
		if got := hasToken(c.values, c.token); got != c.want {
			t.Errorf("hasToken(%q, %q) = %v", c.values, c.token, got)
		}
	}
	if got := upgradeType(http.Header{"Upgrade": {"websocket"}}); got != "" {
		t.Errorf("Upgrade without Connection: %q", got)
	}
	if got := upgradeType(http.Header{"Connection": {"Upgrade"}, "Upgrade": {"websocket"}}); got != "websocket" {
		t.Errorf("upgrade: %q", got)
	}
}

// rewriteRequest: what the backend gets for what the client sent.
func TestRewriteRequest(t *testing.T) {
	for _, c := range []struct {
		name      string
		in, want  http.Header
		host, via string
	}{
		{"plain: forwarding headers added, no User-Agent made up",
			http.Header{"Accept": {"*/*"}},
			http.Header{"Accept": {"*/*"}, "User-Agent": {""}, "X-Forwarded-For": {"10.0.0.9"}, "X-Forwarded-Host": {"web.p.localhost"}, "X-Forwarded-Proto": {"http"}},
			"web.p.localhost", "http"},
		{"the client's forwarding headers replaced, Forwarded dropped",
			http.Header{"User-Agent": {"curl"}, "X-Forwarded-For": {"1.2.3.4"}, "X-Forwarded-Host": {"web.other.localhost"}, "X-Forwarded-Proto": {"https"}, "Forwarded": {"for=1.2.3.4"}},
			http.Header{"User-Agent": {"curl"}, "X-Forwarded-For": {"10.0.0.9"}, "X-Forwarded-Host": {"WEB.p.localhost:8080"}, "X-Forwarded-Proto": {"http"}},
			"WEB.p.localhost:8080", "http"},
		{"hop-by-hop and what Connection names dropped, TE: trailers kept",
			http.Header{"User-Agent": {"x"}, "Connection": {"keep-alive, X-Secret"}, "X-Secret": {"1"}, "Keep-Alive": {"timeout=5"}, "Te": {"trailers, deflate"}, "Proxy-Authorization": {"Basic x"}, "Proxy-Connection": {"keep-alive"}},
			http.Header{"User-Agent": {"x"}, "Te": {"trailers"}, "X-Forwarded-For": {"10.0.0.9"}, "X-Forwarded-Host": {"h.localhost"}, "X-Forwarded-Proto": {"http"}},
			"h.localhost", "http"},
		{"an Upgrade kept",
			http.Header{"User-Agent": {"x"}, "Connection": {"keep-alive, Upgrade"}, "Upgrade": {"websocket"}, "Sec-Websocket-Key": {"k"}},
			http.Header{"User-Agent": {"x"}, "Connection": {"Upgrade"}, "Upgrade": {"websocket"}, "Sec-Websocket-Key": {"k"}, "X-Forwarded-For": {"10.0.0.9"}, "X-Forwarded-Host": {"h.localhost"}, "X-Forwarded-Proto": {"http"}},
			"h.localhost", "http"},
	} {
		req := &http.Request{Header: c.in, Host: c.host, Close: true}
		rewriteRequest(req, "10.0.0.9", c.via)
		if !reflect.DeepEqual(req.Header, c.want) || req.Host != c.host || req.Close {
			t.Errorf("%s:\n got %v (host %q, close %v)\nwant %v", c.name, req.Header, req.Host, req.Close, c.want)
		}
	}
}

func TestValidHost(t *testing.T) {
	for h, want := range map[string]bool{
		"web.p.localhost": true, "WEB.p.localhost:8080": true, "bücher.p.localhost": true, "[::1]:80": true,
		"web.p.localhost/x": false, "a b": false, "u@web.p.localhost": false, "web\x00": false, "web?x": false,
	} {
		if got := validHost(h); got != want {
			t.Errorf("validHost(%q) = %v", h, got)
		}
	}
}
