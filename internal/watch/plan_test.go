package watch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

func trig(t *testing.T, service string, action types.WatchAction, path string, ignore ...string) Trigger {
	t.Helper()
	m, err := NewMatcher(path, ignore, nil, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	tr := Trigger{Service: service, Path: path, Action: action, Match: m}
	if strings.HasPrefix(string(action), "sync") {
		tr.Target = "/app"
	}
	if action == types.WatchActionSyncExec {
		tr.Exec = types.ServiceHook{Command: types.ShellCommand{"true"}}
	}
	return tr
}

func TestPlanBatch(t *testing.T) {
	web := trig(t, "web", types.WatchActionSync, "/p/web", "*.tmp")
	webPkg := trig(t, "web", types.WatchActionRebuild, "/p/web/package.json")
	webPkg.IsFile = true
	api := trig(t, "api", types.WatchActionSyncRestart, "/p/api")
	apiConf := trig(t, "api", types.WatchActionRestart, "/p/conf")
	worker := trig(t, "worker", types.WatchActionSyncExec, "/p/worker")
	mounted := trig(t, "static", types.WatchActionSync, "/p/static")
	mounted.BindMounted = true
	mountedExec := trig(t, "php", types.WatchActionSyncExec, "/p/php")
	mountedExec.BindMounted = true
	all := []Trigger{web, webPkg, api, apiConf, worker, mounted, mountedExec}

	for _, c := range []struct {
		name    string
		changed []string
		want    string
	}{
		{"nothing", nil, ""},
		{"outside every trigger", []string{"/p/README.md", "/p/webx/a"}, ""},
		{"one sync", []string{"/p/web/index.html"}, "web sync /p/web/index.html"},
		{"ignored and editor files", []string{"/p/web/a.tmp", "/p/web/.a.swp", "/p/web/.git/index", "/p/web/4913"}, ""},
		{"rebuild wins over sync", []string{"/p/web/index.html", "/p/web/package.json"}, "web rebuild /p/web/index.html /p/web/package.json"},
		{"sync+restart", []string{"/p/api/main.go"}, "api sync+restart /p/api/main.go"},
		{"restart only", []string{"/p/conf/app.ini"}, "api restart /p/conf/app.ini"},
		{"two triggers of a service merge", []string{"/p/api/x", "/p/conf/y"}, "api sync+restart /p/api/x /p/conf/y"},
		{"sync+exec", []string{"/p/worker/job.py"}, "worker sync+exec /p/worker/job.py"},
		{"bind-mounted sync does nothing", []string{"/p/static/a.css"}, ""},
		{"bind-mounted sync+exec still execs", []string{"/p/php/php.ini"}, "php sync+exec /p/php/php.ini"},
		{"services sorted, one reload each", []string{"/p/worker/a", "/p/web/b", "/p/api/c", "/p/web/d"},
			"api sync+restart /p/api/c\nweb sync /p/web/b /p/web/d\nworker sync+exec /p/worker/a"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var lines []string
			for _, r := range PlanBatch(all, c.changed) {
				lines = append(lines, r.String())
			}
			if got := strings.Join(lines, "\n"); got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

func TestPlanBatchBindMountedExecSyncsNothing(t *testing.T) {
	tr := trig(t, "php", types.WatchActionSyncExec, "/p/php")
	tr.BindMounted = true
	r := PlanBatch([]Trigger{tr}, []string{"/p/php/php.ini"})
	if len(r) != 1 || len(r[0].Syncs) != 0 || len(r[0].Execs) != 1 {
		t.Fatalf("got %+v, want one exec and no sync", r)
	}
}

func TestContainerPath(t *testing.T) {
	dir := Trigger{Path: "/p/web", Target: "/var/www"}
	file := Trigger{Path: "/p/conf/nginx.conf", Target: "/etc/nginx/nginx.conf", IsFile: true}
	for _, c := range []struct {
		t          Trigger
		host, want string
	}{
		{dir, "/p/web", "/var/www"},
		{dir, "/p/web/a/b.html", "/var/www/a/b.html"},
		{file, "/p/conf/nginx.conf", "/etc/nginx/nginx.conf"},
	} {
		if got := c.t.ContainerPath(c.host); got != c.want {
			t.Errorf("ContainerPath(%s) = %s, want %s", c.host, got, c.want)
		}
	}
}

// project builds a project in a temp dir with the given services.
func project(t *testing.T, services ...types.ServiceConfig) *types.Project {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{"src", "conf"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	p := &types.Project{Name: "p", WorkingDir: dir, Services: types.Services{}}
	for _, s := range services {
		p.Services[s.Name] = s
	}
	return p
}

func TestTriggersBadInput(t *testing.T) {
	svc := func(name string, build bool, w ...types.Trigger) types.ServiceConfig {
		s := types.ServiceConfig{Name: name, Develop: &types.DevelopConfig{Watch: w}}
		s.Image = "x"
		if build {
			s.Build = &types.BuildConfig{Context: "."}
		}
		return s
	}
	for _, c := range []struct {
		name string
		s    types.ServiceConfig
		want string
	}{
		{"missing path", svc("web", false, types.Trigger{Path: "nope", Action: "sync", Target: "/app"}),
			"service web: develop.watch\\[0\\]: path .*/nope does not exist"},
		{"outside the project", svc("web", false, types.Trigger{Path: "/etc", Action: "sync", Target: "/app"}),
			"service web: develop.watch\\[0\\]: path /etc lies outside the project directory"},
		{"rebuild without build", svc("api", false, types.Trigger{Path: "src", Action: "rebuild"}),
			"service api: develop.watch\\[0\\]: action rebuild needs a build section, and service api has none"},
		{"unknown action", svc("web", false, types.Trigger{Path: "src", Action: "reload"}),
			`unknown action "reload" \(valid: sync, rebuild, restart, sync\+restart, sync\+exec\)`},
		{"sync without target", svc("web", false, types.Trigger{Path: "src", Action: "sync"}),
			"action sync needs a target"},
		{"sync+exec without command", svc("web", false, types.Trigger{Path: "src", Action: "sync+exec", Target: "/app"}),
			"action sync\\+exec needs exec.command"},
		{"second trigger named", svc("web", true, types.Trigger{Path: "src", Action: "rebuild"}, types.Trigger{Path: "gone", Action: "restart"}),
			"service web: develop.watch\\[1\\]: path .*/gone does not exist"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := project(t, c.s)
			_, _, err := Triggers(p)
			if err == nil {
				t.Fatal("no error")
			}
			if !matchString(c.want, err.Error()) {
				t.Errorf("error %q does not match %q", err, c.want)
			}
		})
	}
}

func TestTriggersResolve(t *testing.T) {
	s := types.ServiceConfig{Name: "web", Develop: &types.DevelopConfig{Watch: []types.Trigger{
		{Path: "src", Action: "sync", Target: "app"},
		{Path: "conf", Action: "sync+restart", Target: "/conf"},
		{Path: "conf", Action: "sync", Target: "/etc/app"}, // bind-mounted, but elsewhere
	}}}
	s.Image, s.WorkingDir = "x", "/srv"
	s.Volumes = []types.ServiceVolumeConfig{{Type: types.VolumeTypeBind, Target: "/conf"}}
	p := project(t, s)
	s.Volumes[0].Source = filepath.Join(p.WorkingDir, "conf")
	p.Services["web"] = s
	ts, notes, err := Triggers(p)
	if err != nil {
		t.Fatal(err)
	}
	if ts[0].Target != "/srv/app" || ts[0].Path != filepath.Join(p.WorkingDir, "src") || ts[0].IsFile {
		t.Errorf("first trigger resolved to %+v", ts[0])
	}
	if ts[2].BindMounted {
		t.Errorf("a sync to another place than the bind mount's counts as bind-mounted")
	}
	if !ts[1].BindMounted || len(notes) != 1 || !strings.Contains(notes[0], "conf is bind-mounted") || !strings.Contains(notes[0], "only the restart runs") {
		t.Errorf("bind-mounted trigger: %+v, notes %q", ts[1], notes)
	}
	if err := Check(p); err != nil {
		t.Errorf("Check: %v", err)
	}
}

func matchString(pattern, s string) bool {
	ok, err := regexpMatch(pattern, s)
	return err == nil && ok
}
