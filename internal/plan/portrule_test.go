package plan

import (
	"testing"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/convert"
)

// isPreset stands for the preset catalogue's lookup, which MovePorts is given.
func isPreset(ext types.Extensions) bool { _, ok := ext["x-preset"]; return ok }

func preset(name string, published ...string) types.ServiceConfig {
	return svc(name, func(s *types.ServiceConfig) {
		s.Extensions = types.Extensions{"x-preset": map[string]any{}}
		for i, p := range published {
			s.Ports = append(s.Ports, types.ServicePortConfig{Target: uint32(1000 + i), Published: p, HostIP: "127.0.0.1"})
		}
	})
}

func TestMovePorts(t *testing.T) {
	user := svc("app", func(s *types.ServiceConfig) {
		s.Ports = []types.ServicePortConfig{{Target: 80, Published: "3306", HostIP: "127.0.0.1"}}
	})
	tests := []struct {
		name  string
		p     *types.Project
		own   map[string]map[string]int
		taken map[int]bool
		want  []PortMove
		ports map[string]string
	}{
		{"free port kept", project(preset("mysql", "3306")), nil, nil, nil, map[string]string{"mysql": "3306"}},
		{"taken port moves to next free", project(preset("mysql", "3306")), nil, map[int]bool{3306: true, 3307: true},
			[]PortMove{{"mysql", 3306, 3308, "tcp", 0}}, map[string]string{"mysql": "3308"}},
		{"two presets never share", project(preset("mariadb", "3306"), preset("mysql", "3306")), nil, nil,
			[]PortMove{{"mysql", 3306, 3307, "tcp", 0}}, map[string]string{"mariadb": "3306", "mysql": "3307"}},
		{"the user's own service keeps its port, the preset moves", project(user, preset("mysql", "3306")), nil, nil,
			[]PortMove{{"mysql", 3306, 3307, "tcp", 0}}, map[string]string{"app": "3306", "mysql": "3307"}},
		{"own container's port is kept though probing says taken", project(preset("mysql", "3306")),
			map[string]map[string]int{"mysql": {"1000/tcp": 3307}}, map[int]bool{3306: true, 3307: true},
			[]PortMove{{"mysql", 3306, 3307, "tcp", 0}}, map[string]string{"mysql": "3307"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := map[string]string{}
			for name, s := range tt.p.Services {
				before[name] = s.Ports[0].Published
			}
			moves, err := MovePorts(tt.p, tt.own, isPreset, func(h convert.HostPort) bool { return !tt.taken[h.Port] })
			if err != nil {
				t.Fatal(err)
			}
			eq(t, moves, tt.want)
			for name, s := range tt.p.Services {
				eq(t, s.Ports[0].Published, before[name]) // planning the moves changes nothing
			}
			cp, _ := tt.p.WithServicesTransform(func(_ string, s types.ServiceConfig) (types.ServiceConfig, error) { return s, nil })
			ApplyPortMoves(cp, moves)
			for svcName, port := range tt.ports {
				eq(t, cp.Services[svcName].Ports[0].Published, port)
				eq(t, tt.p.Services[svcName].Ports[0].Published, before[svcName])
			}
		})
	}
}
