package apply

import (
	"slices"
	"testing"
	"time"

	"github.com/devstack/devstack/internal/convert"
	"github.com/docker/docker/api/types/network"
)

func TestExtraNetworksKeepsTheOldest(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	n := func(id, name string, at time.Time) network.Summary {
		return network.Summary{ID: id, Name: name, Created: at}
	}
	for _, tc := range []struct {
		name string
		list []network.Summary
		want []string
	}{
		{"one", []network.Summary{n("a", "p_default", t0)}, nil},
		{"substring matches are not copies", []network.Summary{n("a", "p_default", t0), n("b", "p_default2", t0.Add(time.Second))}, nil},
		{"newer copy goes", []network.Summary{n("b", "p_default", t0.Add(time.Second)), n("a", "p_default", t0)}, []string{"b"}},
		{"tie: smaller ID stays", []network.Summary{n("c", "p_default", t0), n("a", "p_default", t0), n("b", "p_default", t0.Add(-time.Second))}, []string{"a", "c"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := extraNetworks(tc.list, "p_default"); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSameReplica(t *testing.T) {
	base := map[string]string{convert.LabelProject: "p", convert.LabelService: "db", convert.LabelNumber: "1", convert.LabelConfigHash: "h"}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range base {
			m[a] = b
		}
		m[k] = v
		return m
	}
	for _, tc := range []struct {
		name   string
		labels map[string]string
		want   bool
	}{
		{"same", base, true},
		{"other project", with(convert.LabelProject, "q"), false},
		{"other service", with(convert.LabelService, "web"), false},
		{"other replica", with(convert.LabelNumber, "2"), false},
		{"other config", with(convert.LabelConfigHash, "x"), false},
		{"one-off", with(convert.LabelOneoff, "True"), false},
		{"not ours at all", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := sameReplica(tc.labels, "p", "db", 1, "h"); got != tc.want {
				t.Fatalf("got %v", got)
			}
		})
	}
}
