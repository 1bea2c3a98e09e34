package convert

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/devstack/devstack/internal/version"
	"github.com/docker/docker/api/types/network"
)

func TestNetworkCreate(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name string
		n    types.NetworkConfig
		want network.CreateOptions // Labels checked apart
	}{
		{"plain", types.NetworkConfig{Name: "demo_back"}, network.CreateOptions{}},
		{"driver, options, flags", types.NetworkConfig{
			Name: "demo_back", Driver: "bridge", DriverOpts: types.Options{"com.docker.network.bridge.name": "br-x"},
			Internal: true, Attachable: true, EnableIPv6: &yes, EnableIPv4: &no,
		}, network.CreateOptions{
			Driver: "bridge", Options: map[string]string{"com.docker.network.bridge.name": "br-x"},
			Internal: true, Attachable: true, EnableIPv6: &yes, EnableIPv4: &no,
		}},
		{"ipam with every pool field", types.NetworkConfig{Name: "demo_back", Ipam: types.IPAMConfig{
			Driver: "default",
			Config: []*types.IPAMPool{{Subnet: "10.77.0.0/16", IPRange: "10.77.5.0/24", Gateway: "10.77.0.254",
				AuxiliaryAddresses: types.Mapping{"host1": "10.77.0.5"}}},
		}}, network.CreateOptions{IPAM: &network.IPAM{Driver: "default", Config: []network.IPAMConfig{{
			Subnet: "10.77.0.0/16", IPRange: "10.77.5.0/24", Gateway: "10.77.0.254", AuxAddress: map[string]string{"host1": "10.77.0.5"},
		}}}}},
		{"ipam driver only", types.NetworkConfig{Name: "demo_back", Ipam: types.IPAMConfig{Driver: "default"}},
			network.CreateOptions{IPAM: &network.IPAM{Driver: "default"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := project()
			tt.n.Labels = types.Labels{"mine": "1"}
			p.Networks["back"] = tt.n
			got := NetworkCreate(p, "back", "")
			eq(t, got.Labels, map[string]string{
				"mine": "1", LabelProject: "demo", LabelNetwork: "back", LabelVersion: version.Version, LabelConfigHash: NetworkHash(tt.n),
			})
			got.Labels = nil
			eq(t, got, tt.want)
		})
	}
}

func TestNetworkHash(t *testing.T) {
	a := types.NetworkConfig{Name: "demo_back"}
	b := a
	b.Ipam.Config = []*types.IPAMPool{{Subnet: "10.77.0.0/16"}}
	c := a
	c.CustomLabels = types.Labels{LabelVersion: "other"}
	if NetworkHash(a) == NetworkHash(b) {
		t.Error("a changed subnet keeps the hash")
	}
	eq(t, NetworkHash(a), NetworkHash(c)) // compose's own labels are not config
	// docker compose's NetworkHash: the sha256 of the model's JSON.
	sum := sha256.Sum256([]byte(`{"name":"demo_back","ipam":{"config":[{"subnet":"10.77.0.0/16"}]}}`))
	eq(t, NetworkHash(b), hex.EncodeToString(sum[:]))
}

func TestCheckAddresses(t *testing.T) {
	withAddr := func(v4, v6 string) func(*types.ServiceConfig) {
		return func(s *types.ServiceConfig) {
			s.Networks = map[string]*types.ServiceNetworkConfig{"back": {Ipv4Address: v4, Ipv6Address: v6}}
		}
	}
	pool := func(subnets ...string) types.IPAMConfig {
		var c types.IPAMConfig
		for _, s := range subnets {
			c.Config = append(c.Config, &types.IPAMPool{Subnet: s})
		}
		return c
	}
	tests := []struct {
		name    string
		ipam    types.IPAMConfig
		ext     bool
		mod     func(*types.ServiceConfig)
		wantErr string
	}{
		{"inside the subnet", pool("10.77.0.0/24"), false, withAddr("10.77.0.10", ""), ""},
		{"inside the second subnet", pool("10.77.0.0/24", "10.78.0.0/24"), false, withAddr("10.78.0.10", ""), ""},
		{"ipv6 inside", pool("10.77.0.0/24", "fd00:77::/64"), false, withAddr("", "fd00:77::10"), ""},
		{"outside", pool("10.77.0.0/24"), false, withAddr("10.99.0.10", ""),
			"service web: networks.back.ipv4_address: 10.99.0.10 is outside network back's subnet [10.77.0.0/24]"},
		{"no subnet", types.IPAMConfig{}, false, withAddr("10.77.0.10", ""),
			"service web: networks.back.ipv4_address: 10.77.0.10 needs network back to declare an IPv4 subnet in ipam.config"},
		{"ipv6 without an ipv6 subnet", pool("10.77.0.0/24"), false, withAddr("", "fd00::1"),
			"service web: networks.back.ipv6_address: fd00::1 needs network back to declare an IPv6 subnet"},
		{"not an address", pool("10.77.0.0/24"), false, withAddr("10.77.0.300", ""),
			`service web: networks.back.ipv4_address: "10.77.0.300" is not an IP address`},
		{"external network is the engine's to judge", types.IPAMConfig{}, true, withAddr("10.77.0.10", ""), ""},
		{"one address for replicas", pool("10.77.0.0/24"), false, func(s *types.ServiceConfig) {
			withAddr("10.77.0.10", "")(s)
			s.SetScale(2)
		}, "service web: networks.back.ipv4_address: 10.77.0.10 is one address for 2 replicas"},
		{"two services, one address", pool("10.77.0.0/24"), false, withAddr("10.77.0.10", ""),
			"service web: networks.back.ipv4_address: 10.77.0.10 is service api's address too"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := project(svc("web", tt.mod))
			if strings.HasPrefix(tt.name, "two services") {
				p.Services["api"] = svc("api", tt.mod)
			}
			p.Networks["back"] = types.NetworkConfig{Name: "demo_back", Ipam: tt.ipam, External: types.External(tt.ext)}
			err := CheckAddresses(p)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, ErrBadAddress) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("got %v, want ErrBadAddress with %q", err, tt.wantErr)
			}
		})
	}
}
