package router

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"
)

// x-devstack.https_redirect: plain http answers 307 to the https name
// (with the router's port when not 443, path and query kept); without
// it, plain http serves.
func TestHTTPSRedirect(t *testing.T) {
	back := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "served") }))
	defer back.Close()
	st, _ := Build(Project{Name: "p", Services: []Service{
		{Name: "web", Ports: []int{80}, HTTPSRedirect: true, Containers: []string{"x"}},
		{Name: "api", Ports: []int{80}, Containers: []string{"x"}},
	}}, nil)
	st.HTTPSPort = 10443
	for i := range st.Routes {
		st.Routes[i].Backends = []string{back.Listener.Addr().String()}
	}
	s := NewServer()
	s.Log = log.New(io.Discard, "", 0)
	s.table = NewTable([]State{st})
	front := httptest.NewServer(s)
	defer front.Close()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, c := range []struct {
		host, method, code, location string
	}{
		{"web.p.localhost", "GET", "307 Temporary Redirect", "https://web.p.localhost:10443/a/b?c=d"},
		{"WEB.p.localhost:80", "POST", "307 Temporary Redirect", "https://web.p.localhost:10443/a/b?c=d"},
		{"api.p.localhost", "GET", "200 OK", ""},
	} {
		req, _ := http.NewRequest(c.method, front.URL+"/a/b?c=d", nil)
		req.Host = c.host
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.Status != c.code || resp.Header.Get("Location") != c.location {
			t.Errorf("%s %s: %s, Location %q; want %s %q", c.method, c.host, resp.Status, resp.Header.Get("Location"), c.code, c.location)
		}
	}
}
