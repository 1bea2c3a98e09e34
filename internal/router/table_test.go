package router

import (
	"fmt"
	"strings"
	"testing"
)

// routes renders a state as one line a route, for comparing with text.
func routes(st State) string {
	var b strings.Builder
	for _, r := range st.Routes {
		fmt.Fprintf(&b, "%s -> %s:%d %v\n", r.Host, r.Service, r.Port, r.Backends)
	}
	return b.String()
}

func TestBuild(t *testing.T) {
	for _, c := range []struct {
		name  string
		p     Project
		taken map[string]string
		want  string
		notes []string
	}{{
		name: "first HTTP port by default, every HTTP port by number, databases none",
		p: Project{Name: "shop", Services: []Service{
			{Name: "web", Ports: []int{3000, 9229, 3000}, Containers: []string{"shop-web-2", "shop-web-1"}},
			{Name: "db", Ports: []int{5432}, Containers: []string{"shop-db-1"}},
			{Name: "api", Ports: []int{5432, 8080}},
			{Name: "worker"},
		}},
		want: `api.shop.localhost -> api:8080 []
8080.api.shop.localhost -> api:8080 []
web.shop.localhost -> web:3000 [shop-web-1:3000 shop-web-2:3000]
3000.web.shop.localhost -> web:3000 [shop-web-1:3000 shop-web-2:3000]
9229.web.shop.localhost -> web:9229 [shop-web-1:9229 shop-web-2:9229]
`,
	}, {
		name: "names that are not DNS labels are mapped, and said",
		p:    Project{Name: "my_shop", Services: []Service{{Name: "Web_UI", Ports: []int{80}}, {Name: "db_x", Ports: []int{5432}}}},
		want: "web-ui.my-shop.localhost -> Web_UI:80 []\n80.web-ui.my-shop.localhost -> Web_UI:80 []\n",
		notes: []string{`project name "my_shop" is not a DNS label: its URLs use "my-shop"`,
			`service name "Web_UI" is not a DNS label: its URL uses "web-ui"`},
	}, {
		name: "two services mapped to one label: the second is refused",
		p:    Project{Name: "p", Services: []Service{{Name: "a_b", Ports: []int{80}}, {Name: "a-b", Ports: []int{81}}}},
		want: "a-b.p.localhost -> a-b:81 []\n81.a-b.p.localhost -> a-b:81 []\n80.a-b.p.localhost -> a_b:80 []\n",
		notes: []string{`service name "a_b" is not a DNS label: its URL uses "a-b"`,
			"a-b.p.localhost is already service a-b's: not for service a_b"},
	}, {
		name: "domains: added, port picked, bad and foreign ones refused",
		p: Project{Name: "shop", Services: []Service{{Name: "web", Ports: []int{3000, 4000}, Domains: []Domain{
			{Name: "Shop.localhost"}, {Name: "admin.shop.localhost", Port: 4000}, {Name: "example.com"},
			{Name: "api.blog.localhost"}, {Name: "taken.localhost"}, {Name: "new.other.localhost"},
		}}}},
		taken: map[string]string{"blog.localhost": "blog", "taken.localhost": "blog"},
		want: `web.shop.localhost -> web:3000 []
3000.web.shop.localhost -> web:3000 []
4000.web.shop.localhost -> web:4000 []
shop.localhost -> web:3000 []
admin.shop.localhost -> web:4000 []
new.other.localhost -> web:3000 []
`,
		notes: []string{
			`x-devstack.domains of web: "example.com" is not a name under .localhost: refused`,
			"x-devstack.domains of web: api.blog.localhost is under project blog's names: refused",
			"taken.localhost is served for project blog: not for service web",
		},
	}, {
		name:  "another project whose name maps to the same label keeps its names",
		p:     Project{Name: "my_app", Services: []Service{{Name: "web", Ports: []int{80}}}},
		taken: map[string]string{"web.my-app.localhost": "my-app", "80.web.my-app.localhost": "my-app"},
		want:  "",
		notes: []string{`project name "my_app" is not a DNS label: its URLs use "my-app"`,
			"web.my-app.localhost is served for project my-app: not for service web",
			"80.web.my-app.localhost is served for project my-app: not for service web"},
	}} {
		t.Run(c.name, func(t *testing.T) {
			st, notes := Build(c.p, c.taken)
			if got := routes(st); got != c.want {
				t.Errorf("routes:\n%s\nwant:\n%s", got, c.want)
			}
			if strings.Join(notes, "\n") != strings.Join(c.notes, "\n") {
				t.Errorf("notes:\n%s\nwant:\n%s", strings.Join(notes, "\n"), strings.Join(c.notes, "\n"))
			}
		})
	}
}

func TestTakenAndLookup(t *testing.T) {
	a, _ := Build(Project{Name: "a", Services: []Service{{Name: "web", Ports: []int{80}, Containers: []string{"a-web-1"}}}}, nil)
	b, _ := Build(Project{Name: "b", Services: []Service{{Name: "web", Ports: []int{80}}}}, nil)
	b.Down = true
	taken := Taken([]State{a, b}, "a")
	if taken["web.b.localhost"] != "b" || taken["b.localhost"] != "b" || taken["web.a.localhost"] != "" {
		t.Errorf("Taken = %v", taken)
	}
	tab := NewTable([]State{b, a})
	if r, st := tab.Lookup("web.a.localhost"); r == nil || st.Project != "a" || r.Backends[0] != "a-web-1:80" {
		t.Errorf("web.a: %v %v", r, st)
	}
	if r, st := tab.Lookup("nope.b.localhost"); r != nil || st == nil || st.Project != "b" {
		t.Errorf("nope.b: %v %v", r, st)
	}
	if r, st := tab.Lookup("web.c.localhost"); r != nil || st != nil {
		t.Errorf("web.c: %v %v", r, st)
	}
}

func TestRefresh(t *testing.T) {
	st, _ := Build(Project{Name: "p", Services: []Service{{Name: "web", Ports: []int{80, 81}, Containers: []string{"p-web-1"}}, {Name: "api", Ports: []int{8080}}}}, nil)
	for _, c := range []struct {
		name    string
		running map[string][]string
		want    string
	}{
		{"nothing runs", nil, "api.p.localhost -> api:8080 []\n8080.api.p.localhost -> api:8080 []\nweb.p.localhost -> web:80 []\n80.web.p.localhost -> web:80 []\n81.web.p.localhost -> web:81 []\n"},
		{"replicas, sorted, each port", map[string][]string{"web": {"p-web-2", "p-web-1"}, "api": {"p-api-1"}},
			"api.p.localhost -> api:8080 [p-api-1:8080]\n8080.api.p.localhost -> api:8080 [p-api-1:8080]\nweb.p.localhost -> web:80 [p-web-1:80 p-web-2:80]\n80.web.p.localhost -> web:80 [p-web-1:80 p-web-2:80]\n81.web.p.localhost -> web:81 [p-web-1:81 p-web-2:81]\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Refresh(st, c.running)
			if routes(got) != c.want {
				t.Errorf("routes:\n%s\nwant:\n%s", routes(got), c.want)
			}
			if got.Routes[0].Cert != st.Routes[0].Cert || len(st.Routes[2].Backends) != 1 {
				t.Error("Refresh changed the state it was given or dropped certificates")
			}
		})
	}
}
