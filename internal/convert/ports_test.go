package convert

import (
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

func TestDuplicatePorts(t *testing.T) {
	pub := func(name, ip, port string, scale int) types.ServiceConfig {
		return svc(name, func(s *types.ServiceConfig) {
			s.Ports = []types.ServicePortConfig{{Target: 80, Published: port, HostIP: ip}}
			s.SetScale(scale)
		})
	}
	tests := []struct {
		name string
		p    *types.Project
		want string
	}{
		{"distinct ports", project(pub("a", "127.0.0.1", "8080", 1), pub("b", "127.0.0.1", "8081", 1)), ""},
		{"same port, different addresses", project(pub("a", "127.0.0.1", "8080", 1), pub("b", "127.0.0.2", "8080", 1)), ""},
		{"same port twice", project(pub("a", "127.0.0.1", "8080", 1), pub("b", "127.0.0.1", "8080", 1)), "services a and b both publish host port 127.0.0.1:8080/tcp"},
		{"wildcard overlaps", project(pub("a", "", "8080", 1), pub("b", "127.0.0.1", "8080", 1)), "services a and b both publish"},
		{"replicas of a fixed port", project(pub("a", "127.0.0.1", "8080", 2)), "service a publishes fixed host port 127.0.0.1:8080/tcp but has 2 replicas"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := PublishedPorts(tt.p)
			if err != nil {
				t.Fatal(err)
			}
			err = DuplicatePorts(tt.p, want)
			if (err == nil) != (tt.want == "") || (err != nil && !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}
