package watch

import (
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

func TestPlanSteps(t *testing.T) {
	keys := map[string]string{"api": "img|.", "worker": "img|.", "cron": "img|.", "other": "other|."}
	rb := func(s string) Reload { return Reload{Service: s, Rebuild: true} }
	sy := func(s string) Reload { return Reload{Service: s, Syncs: []Sync{{}}} }
	for _, c := range []struct {
		name string
		in   []Reload
		want string
	}{
		{"shared image built once", []Reload{rb("api"), rb("worker")}, "[api+worker]"},
		{"three, at the first one's place", []Reload{rb("api"), rb("cron"), sy("web"), rb("worker")}, "[api+cron+worker] [web]"},
		{"other image apart", []Reload{rb("api"), rb("other"), rb("worker")}, "[api+worker] [other]"},
		{"a sync is never grouped", []Reload{sy("api"), rb("worker")}, "[api] [worker]"},
		{"no key: one each", []Reload{rb("a"), rb("b")}, "[a] [b]"},
		{"nothing", nil, ""},
	} {
		var parts []string
		for _, st := range PlanSteps(c.in, keys) {
			var names []string
			for _, rl := range st.Reloads {
				names = append(names, rl.Service)
			}
			parts = append(parts, "["+strings.Join(names, "+")+"]")
		}
		if got := strings.Join(parts, " "); got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got, c.want)
		}
	}
}

func TestBuildKey(t *testing.T) {
	svc := func(image, ctx, dockerfile, target string) types.ServiceConfig {
		var s types.ServiceConfig
		s.Image, s.Build = image, &types.BuildConfig{Context: ctx, Dockerfile: dockerfile, Target: target}
		return s
	}
	same := [][2]types.ServiceConfig{
		{svc("app", "/p/app", "", ""), svc("app", "/p/app/", "Dockerfile", "")},
	}
	differ := [][2]types.ServiceConfig{
		{svc("app", "/p/app", "", ""), svc("app2", "/p/app", "", "")},
		{svc("app", "/p/app", "", ""), svc("app", "/p/other", "", "")},
		{svc("app", "/p/app", "", "dev"), svc("app", "/p/app", "", "prod")},
		{svc("app", "/p/app", "a.Dockerfile", ""), svc("app", "/p/app", "b.Dockerfile", "")},
	}
	for _, c := range same {
		if BuildKey(c[0]) == "" || BuildKey(c[0]) != BuildKey(c[1]) {
			t.Errorf("want one key for %+v and %+v", c[0].Build, c[1].Build)
		}
	}
	for _, c := range differ {
		if BuildKey(c[0]) == BuildKey(c[1]) {
			t.Errorf("want two keys for %s %+v and %s %+v", c[0].Image, c[0].Build, c[1].Image, c[1].Build)
		}
	}
	if k := BuildKey(svc("nginx", "", "", "")); k == "" {
		t.Errorf("the helper makes services with a build")
	}
	var pulled types.ServiceConfig
	pulled.Image = "nginx"
	if k := BuildKey(pulled); k != "" {
		t.Errorf("no build, want no key, got %q", k)
	}
	if k := BuildKey(svc("", ".", "", "")); k != "" {
		t.Errorf("no image name, want no key, got %q", k)
	}
}
