package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/registry"

	"github.com/devstack/devstack/internal/apply"
	"github.com/devstack/devstack/internal/composetest"
	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/dockerapi"
	"github.com/devstack/devstack/internal/logs"
	"github.com/devstack/devstack/internal/plan"
	"github.com/devstack/devstack/internal/progress"
)

func TestClockResult(t *testing.T) {
	for _, tc := range []struct {
		skew   time.Duration
		status Status
		want   string
	}{
		{time.Second, OK, "agrees"},
		{-2 * time.Second, OK, "agrees"},
		{90 * time.Second, Warn, "the engine's clock is 1m30s ahead of this machine's"},
		{-5 * time.Second, Warn, "the engine's clock is 5s behind this machine's"},
	} {
		r := clockResult(tc.skew)
		if r.Status != tc.status || !strings.Contains(r.Detail, tc.want) {
			t.Errorf("%s: got %v", tc.skew, r)
		}
	}
}

func TestDiskResult(t *testing.T) {
	const gib = 1 << 30
	for _, tc := range []struct {
		free, total uint64
		status      Status
		want        string
	}{
		{70 * gib, 250 * gib, OK, "/d has 70.0 GiB free of 250.0 GiB"},
		{1 * gib, 10 * gib, Warn, "1.0 GiB free"},     // below 2 GiB
		{10 * gib, 1000 * gib, Warn, "10.0 GiB free"}, // below 5%
		{512, 1024, Warn, "512 B free of 1.0 KiB"},
	} {
		r := diskResult("the project directory", "/d", tc.free, tc.total, "free space")
		if r.Status != tc.status || !strings.Contains(r.Detail, tc.want) || (tc.status == Warn) != (r.Remedy != "") {
			t.Errorf("%d/%d: got %v", tc.free, tc.total, r)
		}
	}
}

func TestInotifyResult(t *testing.T) {
	for _, tc := range []struct {
		trees, dirs, limit int
		status             Status
		want               string
	}{
		{0, 0, 8192, OK, "no develop.watch rules"},
		{1, 300, 8192, OK, "300 directories, well within the inotify limit of 8192"},
		{2, 5000, 8192, Warn, "5000 directories, and the inotify limit is 8192"},
		{1, 10, 0, Skip, "no inotify limit"},
	} {
		r := inotifyResult(tc.trees, tc.dirs, tc.limit)
		if r.Status != tc.status || !strings.Contains(r.Detail, tc.want) {
			t.Errorf("%+v: got %v", tc, r)
		}
	}
	if r := inotifyResult(1, 5000, 8192); !strings.Contains(r.Remedy, "sudo sysctl fs.inotify.max_user_watches=524288") {
		t.Errorf("remedy %q", r.Remedy)
	}
}

func TestRecreateResults(t *testing.T) {
	old := &plan.Container{Name: "demo-web-1", Labels: map[string]string{convert.LabelVersion: "2.29.1"}}
	pl := plan.Plan{Actions: []plan.Action{
		{Op: plan.KeepContainer, Name: "demo-db-1", Current: &plan.Container{}},
		{Op: plan.RecreateContainer, Name: "demo-web-1", Current: old, Reason: "config hash changed"},
	}}
	got := recreateResults(pl)
	if len(got) != 1 || got[0].Status != Note || got[0].Detail != `container demo-web-1 (made by version "2.29.1" of devstack or compose): up would recreate it (config hash changed)` {
		t.Fatalf("got %v", got)
	}
	if got := recreateResults(plan.Plan{}); got[0].Status != OK {
		t.Fatalf("got %v", got)
	}
}

func TestResultString(t *testing.T) {
	r := Result{Check: "port", Status: Fail, Detail: "8080/tcp (web) is held by python3 (pid 812)", Remedy: "stop it, or publish web on another host port"}
	want := "fail  port      8080/tcp (web) is held by python3 (pid 812); to fix: stop it, or publish web on another host port"
	if r.String() != want {
		t.Fatalf("got  %q\nwant %q", r.String(), want)
	}
	if (Report{r}).Wrong() != true || (Report{{Status: OK}, {Status: Note}, {Status: Skip}}).Wrong() {
		t.Fatal("Wrong")
	}
}

// creds has a user per image, all with the password secret.
type creds map[string]string

const secret = "s3cret-pass"

func (c creds) ForImage(ref string) (registry.AuthConfig, error) {
	return registry.AuthConfig{Username: c[ref], Password: secret}, nil
}

func (c creds) Encoded(ref string) (string, error) {
	if c[ref] == "" {
		return "", nil
	}
	return registry.EncodeAuthConfig(registry.AuthConfig{Username: c[ref], Password: secret})
}

const stack = `
services:
  db:
    image: postgres:16
    healthcheck: {test: [CMD, pg_isready], interval: 2h}
  web:
    image: registry.example.com/team/web:1
    ports: ["18080:80"]
    environment: {MODE: one}
    depends_on: {db: {condition: service_healthy}}
  cache:
    image: redis:7
`

// env is a doctor run against the fake engine, with port 18080 held by a
// host process.
func env(t *testing.T, api *dockerapi.FakeClient, yaml string) Env {
	return Env{API: api, Endpoint: dockerapi.Endpoint{Host: "unix:///var/run/docker.sock", Context: "default"},
		Project: composetest.Load(t, yaml), Known: []string{"db", "web"},
		Creds: creds{"registry.example.com/team/web:1": "me"},
		Ports: PortProbe{
			Free: func(hp convert.HostPort) error { return errors.New("address already in use") },
			Holder: func(context.Context, dockerapi.ContainerAPI, convert.HostPort) string {
				return "held by python3 (pid 812)"
			},
		},
		Statfs:     func(string) (uint64, uint64, error) { return 100 << 30, 200 << 30, nil },
		WatchLimit: 8192, Now: time.Now}
}

func lines(r Report) string { return r.String() }

// Against the fake engine: which engine, a held port named with its
// process, images present and to pull (credentials found, not shown), a
// slow health check, the clock, and a container up would recreate.
func TestRunOnFakeEngine(t *testing.T) {
	ctx := context.Background()
	api := dockerapi.NewFakeClient()
	api.AddImage("postgres:16", nil)
	api.AddPullable("registry.example.com/team/web:1", nil)
	api.SetClockSkew(time.Minute)
	e := env(t, api, stack)
	r := Run(ctx, e)
	out := lines(r)
	for _, want := range []string{
		`ok    engine    Docker 28.5.2, API 1.51, at unix:///var/run/docker.sock (context "default")`,
		"ok    project   demo loads from",
		"warn  clock     the engine's clock is 1m0s ahead of this machine's",
		"ok    disk      the engine's data root /var/lib/docker has 100.0 GiB free of 200.0 GiB",
		"ok    disk      the engine's images: 1, 0 in use, 0 B, 0 B reclaimable",
		"ok    disk      the engine's build cache: 0, 0 in use, 0 B, 0 B reclaimable",
		"fail  port      18080/tcp (web) is held by python3 (pid 812); to fix: stop it, or publish web on another host port",
		"ok    image     postgres:16 (db) is present",
		"ok    image     registry.example.com/team/web:1 (web) is not present: up pulls it from registry.example.com (credentials found)",
		"fail  image     redis:7 (cache) is not present and Docker Hub does not give it (no credentials for it): ",
		"; to fix: docker login if it is private; else check the image's name and tag, and that Docker Hub can be reached",
		"ok    inotify   no develop.watch rules",
		"warn  health    service db first checks its health 2h0m0s after it starts (interval 2h0m0s): web would wait that long",
		"ok    recreate  up would recreate none",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if !r.Wrong() {
		t.Errorf("a held port is wrong: %s", out)
	}
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	auth, _ := e.Creds.Encoded("registry.example.com/team/web:1")
	for _, shown := range []string{out, string(js)} {
		if strings.Contains(shown, secret) || strings.Contains(shown, auth) {
			t.Errorf("the credentials are shown:\n%s", shown)
		}
	}
}

// A container made from an older configuration is one up would recreate,
// and a port the project's own container holds is no problem.
func TestRunRecreateAndOwnPort(t *testing.T) {
	ctx := context.Background()
	api := dockerapi.NewFakeClient()
	api.AddImage("nginx:1.27", nil)
	port := freePort(t) // up checks the host's own ports: a fixed one may be taken
	yaml := "services: {web: {image: nginx:1.27, ports: [\"" + port + ":80\"], environment: {MODE: one}}}"
	p := composetest.Load(t, yaml)
	if _, err := apply.Up(ctx, api, logs.NewMonitor(api, "demo"), p, apply.UpOptions{Known: []string{"web"}}, progress.Discard); err != nil {
		t.Fatal(err)
	}
	e := env(t, api, strings.Replace(yaml, "one", "two", 1))
	e.Known = []string{"web"}
	out := lines(Run(ctx, e))
	for _, want := range []string{
		"ok    port      " + port + "/tcp (web) is held by this project's demo-web-1",
		"note  recreate  container demo-web-1: up would recreate it (config hash changed)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

// freePort is a loopback TCP port nothing listens on now.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// An engine that does not answer fails the first check; the checks that
// need it are left out, the project's own still run.
func TestRunEngineDown(t *testing.T) {
	api := dockerapi.NewFakeClient()
	api.GoAway()
	r := Run(context.Background(), env(t, api, stack))
	if r[0].Status != Fail || r[0].Check != "engine" || !strings.Contains(r[0].Remedy, "start the engine") {
		t.Fatalf("got %v", r[0])
	}
	for _, res := range r {
		if res.Check == "port" || res.Check == "image" || res.Check == "clock" {
			t.Errorf("ran %v without an engine", res)
		}
	}
}

// A start period with a short start_interval brings the first check
// forward only on an engine that takes start_interval (API 1.44): on an
// older one doctor still warns, and says to shorten the interval.
func TestHealthByAPIVersion(t *testing.T) {
	p := composetest.Load(t, `
services:
  db:
    image: postgres:16
    healthcheck: {test: [CMD, pg_isready], interval: 1h, start_period: 1m, start_interval: 2s}
  web:
    image: nginx:1.27
    depends_on: {db: {condition: service_healthy}}
`)
	if r := Health(p, "1.44"); len(r) != 1 || r[0].Status != OK {
		t.Errorf("API 1.44: got %v", r)
	}
	r := Health(p, "1.41")
	want := "warn  health    service db first checks its health 1h0m0s after it starts (interval 1h0m0s): web would wait that long; to fix: for db, set a shorter healthcheck.interval (a start_period with a short start_interval needs Engine API 1.44, this engine speaks 1.41)"
	if len(r) != 1 || r[0].String() != want {
		t.Errorf("API 1.41: got %v\nwant %s", r, want)
	}
}

// The inotify check counts the directories watch would watch: each of the
// watched tree, without .git and what the rule ignores.
func TestInotifyCountsWatchedDirs(t *testing.T) {
	p := composetest.Load(t, `
services:
  web:
    image: nginx:1.27
    develop:
      watch:
        - {action: sync, path: ./src, target: /app, ignore: [node_modules/]}
`)
	for _, d := range []string{"src/a/deep", "src/b", "src/.git/objects", "src/node_modules/pkg"} {
		if err := os.MkdirAll(filepath.Join(p.WorkingDir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if r := Inotify(p, 8192); r.Status != OK || r.Detail != "watch would watch 4 directories, well within the inotify limit of 8192" {
		t.Errorf("got %v", r)
	}
	if r := Inotify(p, 6); r.Status != Warn {
		t.Errorf("4 directories against a limit of 6: got %v", r)
	}
}

// A project that does not load fails its line (doctor exits 1); the
// engine's checks still run, the project's are left out.
func TestRunProjectDoesNotLoad(t *testing.T) {
	api := dockerapi.NewFakeClient()
	e := env(t, api, stack)
	e.Project, e.LoadErr = nil, errors.New("services.web.ports: invalid port")
	r := Run(context.Background(), e)
	out := lines(r)
	if !strings.Contains(out, "fail  project   does not load: services.web.ports: invalid port; to fix: fix the compose file") || !r.Wrong() {
		t.Errorf("got\n%s", out)
	}
	for _, res := range r {
		if res.Check == "port" || res.Check == "image" || res.Check == "recreate" {
			t.Errorf("ran %v without a project", res)
		}
	}
	if !strings.Contains(out, "ok    engine ") || !strings.Contains(out, "clock ") {
		t.Errorf("the engine's checks did not run:\n%s", out)
	}
}

// A port another project's container publishes is named with that
// container and its project.
func TestPortHeldByAnotherProject(t *testing.T) {
	ctx := context.Background()
	api := dockerapi.NewFakeClient()
	api.AddImage("nginx:1.27", nil)
	port := freePort(t)
	yaml := "services: {web: {image: nginx:1.27, ports: [\"" + port + ":80\"]}}"
	other := composetest.Load(t, yaml)
	other.Name = "other"
	if _, err := apply.Up(ctx, api, logs.NewMonitor(api, "other"), other, apply.UpOptions{Known: []string{"web"}}, progress.Discard); err != nil {
		t.Fatal(err)
	}
	e := env(t, api, yaml)
	e.Known = []string{"web"}
	e.Ports.Holder = apply.PortHolder // the fake engine's containers, not a process
	want := "fail  port      " + port + "/tcp (web) is held by container other-web-1 (project other); to fix: stop it, or publish web on another host port"
	if out := lines(Run(ctx, e)); !strings.Contains(out, want) {
		t.Errorf("missing %q in\n%s", want, out)
	}
}
