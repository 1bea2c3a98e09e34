package router

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRotate(t *testing.T) {
	for _, c := range []struct {
		in   []string
		n    uint64
		want string
	}{
		{nil, 3, ""},
		{[]string{"a"}, 7, "a"},
		{[]string{"a", "b", "c"}, 0, "a b c"},
		{[]string{"a", "b", "c"}, 1, "b c a"},
		{[]string{"a", "b", "c"}, 5, "c a b"},
	} {
		if got := strings.Join(Rotate(c.in, c.n), " "); got != c.want {
			t.Errorf("Rotate(%v, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}

// Two replicas, one stopped: every request without a body reaches the
// live one (the dead one refuses the connection); both live: round-robin.
func TestReplicasRoundRobinAndFailover(t *testing.T) {
	replica := func(name string) *httptest.Server {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, name) }))
		t.Cleanup(s.Close)
		return s
	}
	one, two := replica("one"), replica("two")
	dead := httptest.NewServer(http.NotFoundHandler())
	deadAddr := strings.TrimPrefix(dead.URL, "http://")
	dead.Close()
	serve := func(backends ...string) map[string]int {
		st, _ := Build(Project{Name: "p", Services: []Service{{Name: "web", Ports: []int{80}}}}, nil)
		for i := range st.Routes {
			st.Routes[i].Backends = backends
		}
		s := NewServer()
		s.Log = log.New(io.Discard, "", 0)
		s.table = NewTable([]State{st})
		front := httptest.NewServer(s)
		defer front.Close()
		got := map[string]int{}
		for range 6 {
			req, _ := http.NewRequest("GET", front.URL, nil)
			req.Host = "web.p.localhost"
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			got[fmt.Sprintf("%d %s", resp.StatusCode, b)]++
		}
		return got
	}
	addr := func(s *httptest.Server) string { return strings.TrimPrefix(s.URL, "http://") }
	if got := serve(addr(one), addr(two)); got["200 one"] != 3 || got["200 two"] != 3 {
		t.Errorf("two replicas: %v, want 3 each", got)
	}
	if got := serve(deadAddr, addr(two)); got["200 two"] != 6 {
		t.Errorf("one replica stopped: %v, want all 6 from two", got)
	}
	if got := serve(deadAddr); got["200 two"] != 0 || len(got) != 1 {
		t.Errorf("no replica: %v", got)
	}
}
