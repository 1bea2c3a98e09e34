package containers

import (
	"errors"
	"testing"

	"github.com/docker/docker/api/types/container"
)

func TestPortLookup(t *testing.T) {
	ports := []container.Port{
		{IP: "::", PrivatePort: 80, PublicPort: 8080, Type: "tcp"},
		{IP: "0.0.0.0", PrivatePort: 80, PublicPort: 8080, Type: "tcp"},
		{IP: "127.0.0.1", PrivatePort: 53, PublicPort: 5353, Type: "udp"},
		{PrivatePort: 9000, Type: "tcp"}, // exposed, not published
		{IP: "::1", PrivatePort: 6379, PublicPort: 16379, Type: "tcp"},
	}
	for _, tc := range []struct {
		port  int
		proto string
		want  string
	}{
		{80, "tcp", "0.0.0.0:8080"}, // IPv4 first
		{53, "udp", "127.0.0.1:5353"},
		{6379, "tcp", "[::1]:16379"},
		{53, "tcp", ""},
		{9000, "tcp", ""},
		{81, "tcp", ""},
	} {
		got, err := PortLookup(ports, tc.port, tc.proto)
		if tc.want == "" {
			if !errors.Is(err, ErrNoPort) {
				t.Errorf("PortLookup(%d/%s) = %q, %v; want ErrNoPort", tc.port, tc.proto, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("PortLookup(%d/%s) = %q, %v; want %q", tc.port, tc.proto, got, err, tc.want)
		}
	}
}

func TestParsePort(t *testing.T) {
	for _, tc := range []struct {
		arg, proto, wantProto string
		want                  int
		ok                    bool
	}{
		{"80", "tcp", "tcp", 80, true},
		{"53/udp", "tcp", "udp", 53, true},
		{"53", "udp", "udp", 53, true},
		{"0", "tcp", "", 0, false},
		{"70000", "tcp", "", 0, false},
		{"http", "tcp", "", 0, false},
		{"80", "icmp", "", 0, false},
	} {
		n, proto, err := ParsePort(tc.arg, tc.proto)
		if (err == nil) != tc.ok || n != tc.want || proto != tc.wantProto {
			t.Errorf("ParsePort(%q, %q) = %d, %q, %v", tc.arg, tc.proto, n, proto, err)
		}
	}
}
