package stack

import (
	"testing"
)

func TestDiff(t *testing.T) {
	st, _ := mustConvert(t, `
services:
  web: {image: w, depends_on: [api], deploy: {replicas: 2}}
  api: {image: a}
  job: {image: j, deploy: {mode: replicated-job}}
`)
	hash := func(name string) string { return service(t, st, name).Hash }
	n := func(v uint64) *uint64 { return &v }
	for _, c := range []struct {
		name     string
		observed []ObservedService
		want     string
	}{
		{"nothing deployed", nil, "create shop_api (not on the swarm)\ncreate shop_job (not on the swarm)\ncreate shop_web (not on the swarm)\n"},
		{"all unchanged", []ObservedService{
			{Name: "shop_web", Labels: map[string]string{LabelHash: hash("web")}, Replicas: n(2)},
			{Name: "shop_api", Labels: map[string]string{LabelHash: hash("api")}, Replicas: n(1)},
			{Name: "shop_job", Labels: map[string]string{LabelHash: hash("job")}},
		}, "unchanged shop_api\nunchanged shop_job\nunchanged shop_web\n"},
		{"changed, scaled by hand, foreign, pruned", []ObservedService{
			{Name: "shop_web", Labels: map[string]string{LabelHash: hash("web")}, Replicas: n(5)},
			{Name: "shop_api", Labels: map[string]string{LabelHash: "old"}},
			{Name: "shop_job", Labels: map[string]string{LabelNamespace: "shop"}},
			{Name: "shop_worker", Labels: map[string]string{LabelHash: "x"}},
			{Name: "shop_cron"},
		}, "update shop_api (spec changed)\nupdate shop_job (not deployed by devstack)\nupdate shop_web (5 replicas, want 2)\nprune shop_cron (not in the compose project)\nprune shop_worker (not in the compose project)\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			plan, err := Diff(st, c.observed)
			if err != nil {
				t.Fatal(err)
			}
			if got := plan.String(); got != c.want {
				t.Errorf("plan:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

func TestDiffKeepsObserved(t *testing.T) {
	st, _ := mustConvert(t, "services:\n  web: {image: w}\n")
	plan, err := Diff(st, []ObservedService{{ID: "abc", Name: "shop_web"}})
	if err != nil {
		t.Fatal(err)
	}
	if a := plan.Actions[0]; a.Kind != Update || a.Observed == nil || a.Observed.ID != "abc" || a.Service.Name != "web" {
		t.Errorf("action %+v", a)
	}
}

func TestStaleObjects(t *testing.T) {
	got := StaleObjects([]string{"shop_k-222"}, []ObservedObject{{ID: "3", Name: "shop_z-1"}, {ID: "1", Name: "shop_k-111"}, {ID: "2", Name: "shop_k-222"}})
	check(t, "stale", got, []ObservedObject{{ID: "1", Name: "shop_k-111"}, {ID: "3", Name: "shop_z-1"}})
}
