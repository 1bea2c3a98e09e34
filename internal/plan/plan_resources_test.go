package plan

import (
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/devstack/devstack/internal/convert"
)

func TestPlanChangedNetworksAndVolumes(t *testing.T) {
	web := svc("web")
	other := svc("other", func(s *types.ServiceConfig) {
		s.Networks = map[string]*types.ServiceNetworkConfig{"back": nil}
		s.Volumes = []types.ServiceVolumeConfig{{Type: types.VolumeTypeVolume, Source: "data", Target: "/data"}}
	})
	p := project(web, other)
	p.Networks["back"] = types.NetworkConfig{Name: "demo_back"}
	changed := types.NetworkConfig{Name: "demo_default", Ipam: types.IPAMConfig{Config: []*types.IPAMPool{{Subnet: "10.77.0.0/24"}}}}
	nets := map[string]string{"demo_default": "n1", "demo_back": "n2"}
	tests := []struct {
		name     string
		netHash  string // of demo_default
		volHash  string // of demo_data
		opts     PlanOptions
		foreign  bool
		want     string
		warnings int
	}{
		{"same hash: kept", convert.NetworkHash(changed), convert.VolumeHash(p.Volumes["data"]), PlanOptions{}, false,
			"container:demo-other-1 Keep\ncontainer:demo-web-1 Keep\n", 0},
		{"no hash label (made by an older tool): kept", "", "", PlanOptions{}, false,
			"container:demo-other-1 Keep\ncontainer:demo-web-1 Keep\n", 0},
		{"made outside compose or for another project: used, warned", "", "", PlanOptions{}, true,
			"container:demo-other-1 Keep\ncontainer:demo-web-1 Keep\n", 2},
		{"changed network: recreated with the containers on it", "old", "", PlanOptions{}, false,
			"network:demo_default RecreateNetwork, default\ncontainer:demo-other-1 Keep\ncontainer:demo-web-1 RecreateContainer, network default changed\n", 0},
		{"changed network under --no-recreate: kept, warned", "old", "", PlanOptions{NoRecreate: true}, false,
			"container:demo-other-1 Keep\ncontainer:demo-web-1 Keep\n", 1},
		{"changed volume: kept, warned", convert.NetworkHash(changed), "old", PlanOptions{}, false,
			"container:demo-other-1 Keep\ncontainer:demo-web-1 Keep\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p.Networks["default"] = changed
			obs := Observed{Containers: []Container{running(web, 1), running(other, 1)}, Networks: nets,
				Volumes: map[string]bool{"demo_data": true},
				NetworkLabels: map[string]map[string]string{
					"demo_default": {convert.LabelProject: "demo", convert.LabelNetwork: "default", convert.LabelConfigHash: tt.netHash},
					"demo_back":    {convert.LabelProject: "demo", convert.LabelNetwork: "back"},
				},
				VolumeLabels: map[string]map[string]string{"demo_data": {convert.LabelProject: "demo", convert.LabelVolume: "data", convert.LabelConfigHash: tt.volHash}},
			}
			if tt.foreign {
				obs.VolumeLabels["demo_data"] = map[string]string{convert.LabelProject: "other", convert.LabelVolume: "data"}
				obs.NetworkLabels["demo_back"] = nil
			}
			plan, err := MakePlan(Desired{Project: p, Known: p.ServiceNames()}, &obs, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			eq(t, plan.String(), tt.want)
			eq(t, len(plan.Warnings), tt.warnings)
		})
	}
}
