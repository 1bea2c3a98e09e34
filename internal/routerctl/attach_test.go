package routerctl

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/router"
)

// rig is an engine with the router's image and the project shop: web
// (port 3000) and db (5432), each one running container on shop_default.
type rig struct {
	t     *testing.T
	api   *dockerapi.FakeClient
	eng   *reloading // api with a router that reloads as devstack-router does
	ca    *router.CA
	cache Cache
	p     *types.Project
}

func newRig(t *testing.T, version string) *rig {
	t.Helper()
	api := dockerapi.NewFakeClient()
	api.AddImage("devstack-router:test", nil)
	api.Trap(Name, "HUP")
	api.AddImage("app", nil)
	api.AddNetwork("shop_default", map[string]string{convert.LabelProject: "shop"})
	oldVersion, oldLoad := programVersion, loadImage
	programVersion = func() string { return version }
	loadImage = func(context.Context, dockerapi.API) (string, error) { return "devstack-router:test", nil }
	t.Cleanup(func() { programVersion, loadImage = oldVersion, oldLoad })
	ca, err := router.LoadCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	web, db := types.ServiceConfig{Name: "web"}, types.ServiceConfig{Name: "db"}
	web.Expose, db.Expose = []string{"3000"}, []string{"5432"}
	r := &rig{t: t, api: api, eng: &reloading{FakeClient: api, lag: 1}, ca: ca, cache: Cache{Dir: t.TempDir()}, p: &types.Project{Name: "shop",
		Networks: types.Networks{"default": {Name: "shop_default"}},
		Services: types.Services{"web": web, "db": db}}}
	r.run("web", 1)
	r.run("db", 1)
	return r
}

// run makes and starts container shop-SERVICE-N on shop_default.
func (r *rig) run(service string, n int) string {
	r.t.Helper()
	name := "shop-" + service + "-" + string(rune('0'+n))
	labels := map[string]string{convert.LabelProject: "shop", convert.LabelService: service, convert.LabelNumber: string(rune('0' + n)), convert.LabelOneoff: "False"}
	c, err := r.api.ContainerCreate(context.Background(), &container.Config{Image: "app", Labels: labels},
		&container.HostConfig{NetworkMode: "shop_default"},
		&network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{"shop_default": {}}}, nil, name)
	if err != nil {
		r.t.Fatal(err)
	}
	if err := r.api.ContainerStart(context.Background(), c.ID, container.StartOptions{}); err != nil {
		r.t.Fatal(err)
	}
	return name
}

func (r *rig) attach() Attached {
	r.t.Helper()
	a, err := Attach(context.Background(), r.eng, r.ca, r.cache, r.p)
	if err != nil {
		r.t.Fatal(err)
	}
	return a
}

// routed is the router's file of shop: each route's backends.
func (r *rig) routed() map[string][]string {
	r.t.Helper()
	data, ok := r.api.File(Name, "/routes/shop.json")
	if !ok {
		r.t.Fatal("no /routes/shop.json in the router")
	}
	var st router.State
	if err := json.Unmarshal(data, &st); err != nil {
		r.t.Fatal(err)
	}
	out := map[string][]string{}
	for _, rt := range st.Routes {
		out[rt.Host] = rt.Backends
	}
	return out
}

func (r *rig) networksOf(ref string) []string {
	c, err := r.api.ContainerInspect(context.Background(), ref)
	if err != nil {
		r.t.Fatal(err)
	}
	var out []string
	for n := range c.NetworkSettings.Networks {
		out = append(out, n)
	}
	return out
}

// A no-op up reads the routes from the host's copy: no copy out of the
// router, nothing written, no network call.
func TestAttachNoOpUsesHostCopy(t *testing.T) {
	r := newRig(t, "")
	a := r.attach()
	if a.Router.ID == "" || len(a.State.Routes) != 2 {
		t.Fatalf("attached %+v", a)
	}
	if got := r.routed()["web.shop.localhost"]; len(got) != 1 || got[0] != "shop-web-1:3000" {
		t.Errorf("web backends %v", got)
	}
	before := map[string]int{}
	for _, m := range []string{"CopyFromContainer", "CopyToContainer", "ContainerKill", "NetworkConnect", "NetworkList", "NetworkCreate"} {
		before[m] = r.api.Count(m)
	}
	r.attach()
	for m, n := range before {
		if got := r.api.Count(m); got != n {
			t.Errorf("no-op attach: %s called %d more times", m, got-n)
		}
	}
	// The router and the containers are on the project's router network;
	// the router is not on the project's own.
	for _, ref := range []string{Name, "shop-web-1", "shop-db-1"} {
		if nets := r.networksOf(ref); !strings.Contains(strings.Join(nets, " "), NetworkName("shop")) {
			t.Errorf("%s on %v, not on %s", ref, nets, NetworkName("shop"))
		}
	}
	if nets := strings.Join(r.networksOf(Name), " "); strings.Contains(nets, "shop_default") {
		t.Errorf("router on %s", nets)
	}
	// A host copy of another router (made again): read from the router.
	if err := r.cache.Reset("another", nil); err != nil {
		t.Fatal(err)
	}
	n := r.api.Count("CopyFromContainer")
	r.attach()
	if r.api.Count("CopyFromContainer") != n+1 {
		t.Error("a host copy of another router was used")
	}
}

// docker compose down (containers removed, then the project's networks)
// works while the router serves the project: nothing of the router is on
// the project's network. devstack down (Detach) removes the router's
// network and marks the project down.
func TestProjectNetworkRemovableWhileServed(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, "")
	r.attach()
	for _, c := range []string{"shop-web-1", "shop-db-1"} {
		if err := r.api.ContainerRemove(ctx, c, container.RemoveOptions{Force: true}); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.api.NetworkRemove(ctx, "shop_default"); err != nil {
		t.Fatalf("docker network rm of the project's network: %v", err)
	}
	if err := Detach(ctx, r.eng, r.cache, "shop"); err != nil {
		t.Fatal(err)
	}
	if nets, _ := r.api.NetworkList(ctx, network.ListOptions{}); strings.Contains(names(nets), NetworkName("shop")) {
		t.Errorf("router network left: %s", names(nets))
	}
	data, _ := r.api.File(Name, "/routes/shop.json")
	if !strings.Contains(string(data), `"down":true`) {
		t.Errorf("not marked down: %s", data)
	}
}

func names(nets []network.Summary) string {
	var out []string
	for _, n := range nets {
		out = append(out, n.Name)
	}
	return strings.Join(out, " ")
}

// start, stop, scale: the routes follow the running containers, and a
// new replica joins the router's network.
func TestRefreshFollowsContainers(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, "")
	r.attach()
	second := r.run("web", 2)
	if err := Refresh(ctx, r.eng, r.cache, "shop"); err != nil {
		t.Fatal(err)
	}
	if got := r.routed()["web.shop.localhost"]; strings.Join(got, " ") != "shop-web-1:3000 shop-web-2:3000" {
		t.Errorf("after scale: %v", got)
	}
	if !strings.Contains(strings.Join(r.networksOf(second), " "), NetworkName("shop")) {
		t.Error("the new replica is not on the router's network")
	}
	if err := r.api.ContainerStop(ctx, "shop-web-1", container.StopOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := Refresh(ctx, r.eng, r.cache, "shop"); err != nil {
		t.Fatal(err)
	}
	if got := r.routed()["web.shop.localhost"]; strings.Join(got, " ") != "shop-web-2:3000" {
		t.Errorf("after stop: %v", got)
	}
	writes := r.api.Count("CopyToContainer")
	if err := Refresh(ctx, r.eng, r.cache, "shop"); err != nil {
		t.Fatal(err)
	}
	if r.api.Count("CopyToContainer") != writes {
		t.Error("a refresh with nothing changed wrote the routes")
	}
	// A project the router does not serve: nothing.
	if err := Refresh(ctx, r.eng, r.cache, "other"); err != nil || r.api.Count("CopyToContainer") != writes {
		t.Errorf("refresh of another project: %v", err)
	}
}

// A router of another build is replaced: same routes, same names on the
// same networks, one line said.
func TestEnsureReplacesOlderRouter(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, "old")
	r.attach()
	first, _ := Find(ctx, r.eng)
	programVersion = func() string { return "new" }
	a := r.attach()
	if a.Router.ID == first.ID || a.Router.Version != "new" {
		t.Fatalf("router not replaced: %+v", a.Router)
	}
	if len(a.Notes) != 1 || !strings.Contains(a.Notes[0], "replaced the router of another devstack build (old, now new)") {
		t.Errorf("notes %q", a.Notes)
	}
	if got := r.routed()["web.shop.localhost"]; len(got) != 1 {
		t.Errorf("routes not kept: %v", got)
	}
	if !strings.Contains(strings.Join(r.networksOf(Name), " "), NetworkName("shop")) {
		t.Error("the new router is not on the project's router network")
	}
	c, _ := r.api.ContainerInspect(ctx, Name)
	if c.HostConfig.PortBindings["443/tcp"][0].HostPort != first.portText() {
		t.Errorf("port %v, was %d", c.HostConfig.PortBindings["443/tcp"], first.HTTPS)
	}
	if again := r.attach(); again.Router.ID != a.Router.ID || len(again.Notes) != 0 {
		t.Error("a router of this build was replaced again")
	}
}

// A stopped router that cannot start (a network it was on was removed
// meanwhile) is made again with its routes; router stop removes the
// router's networks too, containers taken off them.
func TestRouterMadeAgainAndStopped(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, "")
	r.attach()
	first, _ := Find(ctx, r.eng)
	if err := r.api.ContainerStop(ctx, Name, container.StopOptions{}); err != nil {
		t.Fatal(err)
	}
	r.api.FailNext("ContainerStart", errors.New("network 4957 not found"))
	a := r.attach()
	if a.Router.ID == first.ID || !a.Router.Running {
		t.Fatalf("router not made again: %+v", a.Router)
	}
	if len(a.Notes) != 1 || !strings.Contains(a.Notes[0], "the router did not start (network 4957 not found): made again") {
		t.Errorf("notes %q", a.Notes)
	}
	if got := r.routed()["web.shop.localhost"]; len(got) != 1 {
		t.Errorf("routes not kept: %v", got)
	}
	if found, err := Stop(ctx, r.eng); !found || err != nil {
		t.Fatalf("stop: %v %v", found, err)
	}
	if nets, _ := r.api.NetworkList(ctx, network.ListOptions{}); strings.Contains(names(nets), NetworkName("shop")) {
		t.Errorf("router network left: %s", names(nets))
	}
	if strings.Contains(strings.Join(r.networksOf("shop-web-1"), " "), NetworkName("shop")) {
		t.Error("web still on the router's network")
	}
	// devstack down with no router: nothing to do, no error.
	if err := Detach(ctx, r.eng, r.cache, "shop"); err != nil {
		t.Error(err)
	}
}
