package engine

import (
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
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
		want     string
		warnings int
	}{
		{"same hash: kept", NetworkHash(changed), VolumeHash(p.Volumes["data"]), PlanOptions{},
			"container:demo-other-1 Keep\ncontainer:demo-web-1 Keep\n", 0},
		{"no hash label (made by an older tool): kept", "", "", PlanOptions{},
			"container:demo-other-1 Keep\ncontainer:demo-web-1 Keep\n", 0},
		{"changed network: recreated with the containers on it", "old", "", PlanOptions{},
			"network:demo_default RecreateNetwork, default\ncontainer:demo-other-1 Keep\ncontainer:demo-web-1 RecreateContainer, network default changed\n", 0},
		{"changed network under --no-recreate: kept, warned", "old", "", PlanOptions{NoRecreate: true},
			"container:demo-other-1 Keep\ncontainer:demo-web-1 Keep\n", 1},
		{"changed volume: kept, warned", NetworkHash(changed), "old", PlanOptions{},
			"container:demo-other-1 Keep\ncontainer:demo-web-1 Keep\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p.Networks["default"] = changed
			obs := Observed{Containers: []Container{running(web, 1), running(other, 1)}, Networks: nets,
				Volumes: map[string]bool{"demo_data": true}, NetworkHashes: map[string]string{}, VolumeHashes: map[string]string{}}
			if tt.netHash != "" {
				obs.NetworkHashes["demo_default"] = tt.netHash
			}
			if tt.volHash != "" {
				obs.VolumeHashes["demo_data"] = tt.volHash
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
