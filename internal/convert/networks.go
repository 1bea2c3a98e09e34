package convert

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/netip"
	"sort"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/devstack/devstack/internal/version"
	"github.com/docker/docker/api/types/network"
)

// NetworkHash digests a network's compose definition as docker compose
// does (the JSON of the model; custom labels are not part of it), so that
// both tools agree on when a network's config changed.
func NetworkHash(n types.NetworkConfig) string {
	b, err := json.Marshal(&n)
	if err != nil { // plain data; cannot happen
		panic(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// NetworkCreate converts the project's network key into the options
// docker compose sends to create it: driver, driver_opts, ipam, internal,
// attachable, enable_ipv4/enable_ipv6, labels plus compose's own; less
// what the API version cannot carry (networkKeysNeedingAPI). Pure.
func NetworkCreate(p *types.Project, key, apiVersion string) network.CreateOptions {
	n := p.Networks[key]
	opts := network.CreateOptions{
		Driver:     n.Driver,
		Options:    n.DriverOpts,
		Internal:   n.Internal,
		Attachable: n.Attachable,
		EnableIPv4: n.EnableIPv4,
		EnableIPv6: n.EnableIPv6,
		Labels: merge(n.Labels, map[string]string{
			LabelProject: p.Name, LabelNetwork: key, LabelVersion: version.Version, LabelConfigHash: NetworkHash(n),
		}),
	}
	if !apiAtLeast(apiVersion, apiEnableIPv4) {
		opts.EnableIPv4 = nil
	}
	if n.Ipam.Driver != "" || len(n.Ipam.Config) > 0 || len(n.Ipam.Options) > 0 {
		opts.IPAM = &network.IPAM{Driver: n.Ipam.Driver, Options: n.Ipam.Options}
		for _, pool := range n.Ipam.Config {
			if pool == nil {
				continue
			}
			opts.IPAM.Config = append(opts.IPAM.Config, network.IPAMConfig{
				Subnet: pool.Subnet, IPRange: pool.IPRange, Gateway: pool.Gateway, AuxAddress: pool.AuxiliaryAddresses,
			})
		}
	}
	return opts
}

// CheckAddresses refuses fixed container addresses (ipv4_address,
// ipv6_address) the engine would refuse at start: on a network of the
// project without a subnet in ipam.config, outside every subnet it
// declares, given to several replicas or to two services. External
// networks' subnets are the engine's to judge. Pure.
func CheckAddresses(p *types.Project) error {
	taken := map[string]string{} // network key + address -> service
	for _, name := range p.ServiceNames() {
		s := p.Services[name]
		keys := make([]string, 0, len(s.Networks))
		for k := range s.Networks {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, key := range keys {
			cfg := s.Networks[key]
			if cfg == nil {
				continue
			}
			for _, a := range []struct{ field, addr string }{{"ipv4_address", cfg.Ipv4Address}, {"ipv6_address", cfg.Ipv6Address}} {
				if a.addr == "" {
					continue
				}
				if err := checkAddress(p.Networks[key], key, a.addr); err != nil {
					return fmt.Errorf("%w: service %s: networks.%s.%s: %v", ErrBadAddress, name, key, a.field, err)
				}
				if n := s.GetScale(); n > 1 {
					return fmt.Errorf("%w: service %s: networks.%s.%s: %s is one address for %d replicas", ErrBadAddress, name, key, a.field, a.addr, n)
				}
				if other, dup := taken[key+" "+a.addr]; dup {
					return fmt.Errorf("%w: service %s: networks.%s.%s: %s is service %s's address too", ErrBadAddress, name, key, a.field, a.addr, other)
				}
				taken[key+" "+a.addr] = name
			}
		}
	}
	return nil
}

func checkAddress(n types.NetworkConfig, key, addr string) error {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return fmt.Errorf("%q is not an IP address", addr)
	}
	if n.External {
		return nil
	}
	var subnets []string
	for _, pool := range n.Ipam.Config {
		if pool == nil || pool.Subnet == "" {
			continue
		}
		prefix, err := netip.ParsePrefix(pool.Subnet)
		if err != nil {
			return fmt.Errorf("network %s: ipam subnet %q: %v", key, pool.Subnet, err)
		}
		if prefix.Addr().Is4() != ip.Is4() {
			continue
		}
		if prefix.Contains(ip) {
			return nil
		}
		subnets = append(subnets, pool.Subnet)
	}
	if len(subnets) == 0 {
		family := "IPv4"
		if !ip.Is4() {
			family = "IPv6"
		}
		return fmt.Errorf("%s needs network %s to declare an %s subnet in ipam.config (the engine takes fixed addresses only on networks with a user-configured subnet)", addr, key, family)
	}
	return fmt.Errorf("%s is outside network %s's subnet %v", addr, key, subnets)
}

func merge(maps ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}
