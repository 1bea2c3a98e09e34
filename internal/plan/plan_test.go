package plan

import (
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/devstack/devstack/internal/convert"
)

func withState(c Container, state string) Container { c.State = state; return c }
func withName(c Container, name string) Container   { c.Name = name; return c }
func aside(c Container) Container {
	c.ID, c.Name = "0123456789abcdef", "0123456789ab_"+c.Name
	return c
}
func withHash(c Container, h string) Container   { c.Hash = h; return c }
func withImage(c Container, id string) Container { c.ImageID = id; return c }

func TestMakePlan(t *testing.T) {
	web := svc("web")
	db := svc("db", func(s *types.ServiceConfig) {
		s.Volumes = []types.ServiceVolumeConfig{{Type: types.VolumeTypeVolume, Source: "data", Target: "/data"}}
	})
	three := svc("web", func(s *types.ServiceConfig) { s.SetScale(3) })
	one := svc("web", func(s *types.ServiceConfig) { s.SetScale(1) })
	dependsOn := func(dep string, restart bool) func(*types.ServiceConfig) {
		return func(s *types.ServiceConfig) {
			s.DependsOn = types.DependsOnConfig{dep: {Condition: types.ServiceConditionStarted, Restart: restart, Required: true}}
		}
	}
	app := svc("app", dependsOn("web", true))
	worker := svc("worker", dependsOn("app", true))
	cron := svc("cron", dependsOn("web", false))
	netsUp := map[string]string{"demo_default": "n1"}
	volsUp := map[string]bool{"demo_data": true}
	images := map[string]string{"web": "sha256:img", "db": "sha256:img"}

	tests := []struct {
		name string
		p    *types.Project
		obs  Observed
		opts PlanOptions
		want string
	}{
		{"fresh project creates everything", project(web, db), Observed{}, PlanOptions{},
			"network:demo_default CreateNetwork, default\nvolume:demo_data CreateVolume, data\ncontainer:demo-db-1 CreateContainer, not found\ncontainer:demo-web-1 CreateContainer, not found\n"},
		{"up to date is left alone", project(web), Observed{Containers: []Container{running(web, 1)}, Networks: netsUp}, PlanOptions{},
			"container:demo-web-1 Keep\n"},
		{"stopped container is started", project(web), Observed{Containers: []Container{withState(running(web, 1), "exited")}, Networks: netsUp}, PlanOptions{},
			"container:demo-web-1 StartContainer, exited\n"},
		{"changed config is recreated", project(web), Observed{Containers: []Container{withHash(running(web, 1), "old")}, Networks: netsUp}, PlanOptions{},
			"container:demo-web-1 RecreateContainer, config hash changed\n"},
		{"new image is recreated", project(web), Observed{Containers: []Container{withImage(running(web, 1), "sha256:old")}, Networks: netsUp}, PlanOptions{},
			"container:demo-web-1 RecreateContainer, image changed\n"},
		{"no-recreate keeps changed", project(web), Observed{Containers: []Container{withHash(running(web, 1), "old")}, Networks: netsUp}, PlanOptions{NoRecreate: true},
			"container:demo-web-1 Keep\n"},
		{"force-recreate recreates unchanged", project(web), Observed{Containers: []Container{running(web, 1)}, Networks: netsUp}, PlanOptions{ForceRecreate: true},
			"container:demo-web-1 RecreateContainer, forced\n"},
		{"recreate of one service leaves the others", project(web, svc("db")), Observed{Containers: []Container{running(web, 1), running(svc("db"), 1)}, Networks: netsUp}, PlanOptions{Recreate: []string{"web"}},
			"container:demo-db-1 Keep\ncontainer:demo-web-1 RecreateContainer, forced\n"},
		{"orphan is reported", project(web), Observed{Containers: []Container{running(web, 1), running(svc("old"), 1)}, Networks: netsUp}, PlanOptions{},
			"container:demo-web-1 Keep\norphan:demo-old-1 (service old)\n"},
		{"orphan is removed on request", project(web), Observed{Containers: []Container{running(web, 1), running(svc("old"), 1)}, Networks: netsUp}, PlanOptions{RemoveOrphans: true},
			"container:demo-old-1 RemoveContainer, orphan\ncontainer:demo-web-1 Keep\n"},
		{"scale up adds replicas", project(three), Observed{Containers: []Container{running(three, 1)}, Networks: netsUp}, PlanOptions{},
			"container:demo-web-1 Keep\ncontainer:demo-web-2 CreateContainer, not found\ncontainer:demo-web-3 CreateContainer, not found\n"},
		{"scale down removes the highest", project(one), Observed{Containers: []Container{running(one, 1), running(one, 2)}, Networks: netsUp}, PlanOptions{},
			"container:demo-web-2 RemoveContainer, scaled down\ncontainer:demo-web-1 Keep\n"},
		{"a replica renamed aside by an interrupted recreate is removed, its replacement kept", project(web),
			Observed{Containers: []Container{aside(running(web, 1)), running(web, 1)}, Networks: netsUp}, PlanOptions{},
			"container:0123456789ab_demo-web-1 RemoveContainer, left aside by an interrupted recreate\ncontainer:demo-web-1 Keep\n"},
		{"a replica renamed aside without a replacement is recreated under its name", project(web),
			Observed{Containers: []Container{withState(aside(running(web, 1)), "exited")}, Networks: netsUp}, PlanOptions{},
			"container:demo-web-1 RecreateContainer, renamed aside by an interrupted recreate\n"},
		{"another name (compose v1's) is left as it is", project(web),
			Observed{Containers: []Container{withName(running(web, 1), "demo_web_1")}, Networks: netsUp}, PlanOptions{},
			"container:demo_web_1 Keep\n"},
		{"existing volume is reused", project(db), Observed{Containers: []Container{running(db, 1)}, Networks: netsUp, Volumes: volsUp}, PlanOptions{},
			"container:demo-db-1 Keep\n"},
		{"restart: true restarts dependents of a recreated service, transitively", project(web, app, worker, cron),
			Observed{Containers: []Container{withHash(running(web, 1), "old"), running(app, 1), running(worker, 1), running(cron, 1)}, Networks: netsUp}, PlanOptions{},
			"container:demo-app-1 Restart, dependency web updated\ncontainer:demo-cron-1 Keep\ncontainer:demo-web-1 RecreateContainer, config hash changed\ncontainer:demo-worker-1 Restart, dependency app updated\n"},
		{"restart: true leaves dependents alone when nothing is updated", project(web, app),
			Observed{Containers: []Container{running(web, 1), running(app, 1)}, Networks: netsUp}, PlanOptions{},
			"container:demo-app-1 Keep\ncontainer:demo-web-1 Keep\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			known := tt.p.ServiceNames()
			plan, err := MakePlan(Desired{Project: tt.p, Known: known, ImageIDs: images}, &tt.obs, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := plan.String(); got != tt.want {
				t.Errorf("plan:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestMakePlanExternalMissing(t *testing.T) {
	p := project(svc("web"))
	p.Networks["default"] = types.NetworkConfig{Name: "shared", External: true}
	_, err := MakePlan(Desired{Project: p}, &Observed{}, PlanOptions{})
	if err == nil || !strings.Contains(err.Error(), `network "shared" is declared external`) {
		t.Fatalf("want external network error, got %v", err)
	}
	_, err = MakePlan(Desired{Project: p}, &Observed{Networks: map[string]string{"shared": "x"}}, PlanOptions{})
	if err != nil {
		t.Fatalf("existing external network: %v", err)
	}
}

func TestServiceHashIgnoresHowImageIsObtained(t *testing.T) {
	base := svc("web")
	changed := svc("web", func(s *types.ServiceConfig) {
		s.PullPolicy = "always"
		s.Build = &types.BuildConfig{Context: "."}
		s.SetScale(4)
		s.DependsOn = types.DependsOnConfig{"db": {Condition: "service_started"}}
	})
	if convert.ServiceHash(base) != convert.ServiceHash(changed) {
		t.Error("pull_policy/build/scale/depends_on changed the hash")
	}
	env := svc("web", func(s *types.ServiceConfig) { v := "1"; s.Environment = types.MappingWithEquals{"A": &v} })
	if convert.ServiceHash(base) == convert.ServiceHash(env) {
		t.Error("environment change did not change the hash")
	}
}
