package routerctl

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/router"
)

func untar(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		out[h.Name] = b
	}
}

// The image is one layer: the program and an empty /routes, nothing else.
func TestBuildImage(t *testing.T) {
	img, err := BuildImage([]byte("program"), "arm64")
	if err != nil {
		t.Fatal(err)
	}
	files := untar(t, img.Tar)
	var manifest []struct {
		Config   string
		RepoTags []string
		Layers   []string
	}
	if err := json.Unmarshal(files["manifest.json"], &manifest); err != nil || len(manifest) != 1 {
		t.Fatalf("manifest: %s %v", files["manifest.json"], err)
	}
	m := manifest[0]
	if len(m.RepoTags) != 1 || m.RepoTags[0] != img.Ref || len(m.Layers) != 1 {
		t.Errorf("manifest %+v, ref %s", m, img.Ref)
	}
	var cfg struct {
		Architecture string
		Config       struct{ Entrypoint []string }
		RootFS       struct {
			DiffIDs []string `json:"diff_ids"`
		} `json:"rootfs"`
	}
	if err := json.Unmarshal(files[m.Config], &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Architecture != "arm64" || len(cfg.Config.Entrypoint) != 1 || cfg.Config.Entrypoint[0] != "/devstack-router" || len(cfg.RootFS.DiffIDs) != 1 {
		t.Errorf("config: %s", files[m.Config])
	}
	layer := untar(t, files[m.Layers[0]])
	if len(layer) != 2 || string(layer["devstack-router"]) != "program" {
		t.Errorf("layer holds %v", layer)
	}
	if again, _ := BuildImage([]byte("program"), "arm64"); !bytes.Equal(again.Tar, img.Tar) {
		t.Error("the image is not reproducible")
	}
}

func TestRouteProject(t *testing.T) {
	svc := func(name, mode string, ports []types.ServicePortConfig, expose []string, nets ...string) types.ServiceConfig {
		s := types.ServiceConfig{Name: name}
		s.NetworkMode, s.Ports, s.Expose = mode, ports, expose
		if len(nets) > 0 {
			s.Networks = map[string]*types.ServiceNetworkConfig{}
			for _, n := range nets {
				s.Networks[n] = nil
			}
		}
		return s
	}
	web := svc("web", "", []types.ServicePortConfig{{Target: 3000, Protocol: "tcp"}, {Target: 53, Protocol: "udp"}}, []string{"9000-9001", "7000/udp"}, "front")
	web.Extensions = types.Extensions{"x-devstack": map[string]any{"domains": []any{"shop.localhost", "admin.localhost:9000"}}}
	p := &types.Project{Name: "shop", Networks: types.Networks{
		"default": {Name: "shop_default"}, "back": {Name: "shop_back"}, "front": {Name: "shop_front"}}, Services: types.Services{
		"web":  web,
		"api":  svc("api", "", nil, []string{"8080"}),
		"db":   svc("db", "", []types.ServicePortConfig{{Target: 5432}}, nil, "back"),
		"host": svc("host", "host", []types.ServicePortConfig{{Target: 80}}, nil),
	}}
	cs := []plan.Container{
		{Name: "shop-web-1", Service: "web", State: "running"},
		{Name: "shop-web-2", Service: "web", State: "exited"},
		{Name: "shop-api-1", Service: "api", State: "running", Summary: container.Summary{}},
	}
	rp, notes := RouteProject(p, cs)
	st, more := router.Build(rp, nil)
	if len(notes)+len(more) != 0 {
		t.Errorf("notes %v %v", notes, more)
	}
	var got []string
	for _, r := range st.Routes {
		got = append(got, r.Host+" "+r.Service)
	}
	want := []string{"api.shop.localhost api", "8080.api.shop.localhost api", "web.shop.localhost web",
		"3000.web.shop.localhost web", "9000.web.shop.localhost web", "shop.localhost web", "admin.localhost web"}
	if len(got) != len(want) {
		t.Fatalf("routes %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("route %d: %s, want %s", i, got[i], want[i])
		}
	}
	if b := st.Routes[2].Backends; len(b) != 1 || b[0] != "shop-web-1:3000" {
		t.Errorf("web backends %v", b)
	}
	if st.Routes[6].Port != 9000 {
		t.Errorf("admin.localhost port %d", st.Routes[6].Port)
	}
	if n := Networks(p, st); len(n) != 2 || n[0] != "shop_default" || n[1] != "shop_front" {
		t.Errorf("networks %v", n)
	}
}

func TestURL(t *testing.T) {
	if u := (Router{HTTPS: 443}).URL("a.b.localhost"); u != "https://a.b.localhost" {
		t.Error(u)
	}
	if u := (Router{HTTPS: 10443}).URL("a.b.localhost"); u != "https://a.b.localhost:10443" {
		t.Error(u)
	}
}

func (r Router) portText() string { return strconv.Itoa(r.HTTPS) }

func TestBackends(t *testing.T) {
	cs := []plan.Container{
		{Name: "a-1", Service: "a", State: "running", Status: "Up 1 minute (healthy)"},
		{Name: "a-2", Service: "a", State: "running", Status: "Up 1 minute (unhealthy)"},
		{Name: "b-1", Service: "b", State: "running", Status: "Up 2 seconds (health: starting)"},
		{Name: "c-1", Service: "c", State: "running", Status: "Up"},
		{Name: "c-2", Service: "c", State: "exited"},
		{Name: "c-run", Service: "c", State: "running", Oneoff: true},
		{Name: "d-1", Service: "d", State: "paused"},
	}
	got := Backends(cs)
	want := map[string]string{"a": "a-1", "b": "b-1", "c": "c-1", "d": ""}
	for svc, w := range want {
		if g := strings.Join(got[svc], " "); g != w {
			t.Errorf("%s: %q, want %q", svc, g, w)
		}
	}
}

func TestRouteProjectHTTPSRedirect(t *testing.T) {
	svc := func(name string, v any) types.ServiceConfig {
		s := types.ServiceConfig{Name: name}
		s.Expose = []string{"80"}
		if v != nil {
			s.Extensions = types.Extensions{"x-devstack": map[string]any{"https_redirect": v}}
		}
		return s
	}
	p := &types.Project{Name: "p", Services: types.Services{"on": svc("on", true), "off": svc("off", false), "none": svc("none", nil), "bad": svc("bad", "sometimes")}}
	rp, notes := RouteProject(p, nil)
	got := map[string]bool{}
	for _, s := range rp.Services {
		got[s.Name] = s.HTTPSRedirect
	}
	if !got["on"] || got["off"] || got["none"] || got["bad"] {
		t.Errorf("redirects %v", got)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "service bad: x-devstack.https_redirect") {
		t.Errorf("notes %q", notes)
	}
}
