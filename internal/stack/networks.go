package stack

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/swarm"
)

const defaultNetwork = "default"

// serviceNetworks is the service's networks: by key; none means the
// project's default network, as docker stack does.
func serviceNetworks(s types.ServiceConfig) map[string]*types.ServiceNetworkConfig {
	if len(s.Networks) == 0 {
		return map[string]*types.ServiceNetworkConfig{defaultNetwork: nil}
	}
	return s.Networks
}

// convertNetworks converts the networks at least one service attaches to,
// as docker stack does: overlay unless a driver is set, with the stack's
// label.
func (c *converter) convertNetworks() ([]Network, error) {
	used := map[string]bool{}
	for _, name := range sortedKeys(c.p.Services) {
		s := c.p.Services[name]
		for key := range serviceNetworks(s) {
			if _, ok := c.p.Networks[key]; !ok && key != defaultNetwork {
				return nil, fmt.Errorf("%w: service %s: network %s is not defined under networks:", ErrInvalid, name, key)
			}
			used[key] = true
		}
	}
	c.networks = map[string]Network{}
	var out []Network
	for _, key := range sortedKeys(used) {
		n := c.convertNetwork(key, c.p.Networks[key])
		if err := checkNetworkName(key, n.Name); !n.External && err != nil {
			return nil, err
		}
		c.networks[key] = n
		out = append(out, n)
	}
	slices.SortFunc(out, func(a, b Network) int { return cmp.Compare(a.Name, b.Name) })
	return out, nil
}

func (c *converter) convertNetwork(key string, n types.NetworkConfig) Network {
	out := Network{Key: key, External: bool(n.External), Name: c.objectName(key, n.Name, bool(n.External))}
	if out.External {
		return out
	}
	out.Create = network.CreateOptions{
		Driver:     n.Driver,
		Scope:      "swarm",
		Options:    n.DriverOpts,
		Internal:   n.Internal,
		Attachable: n.Attachable,
		EnableIPv4: n.EnableIPv4,
		EnableIPv6: n.EnableIPv6,
		Labels:     c.stackLabels(n.Labels),
	}
	switch out.Create.Driver {
	case "":
		out.Create.Driver = "overlay"
	case "bridge":
		// Common in compose files written for one engine; a bridge is
		// local to a node, so the stack gets an overlay instead.
		c.warn("", "networks."+key+".driver", "bridge is local to one node; the stack uses overlay (and drops the bridge's driver_opts)")
		out.Create.Driver, out.Create.Options = "overlay", nil
	}
	if n.Ipam.Driver != "" || len(n.Ipam.Config) > 0 {
		ipam := &network.IPAM{Driver: n.Ipam.Driver, Options: n.Ipam.Options}
		for _, pool := range n.Ipam.Config {
			ipam.Config = append(ipam.Config, network.IPAMConfig{
				Subnet:     pool.Subnet,
				IPRange:    pool.IPRange,
				Gateway:    pool.Gateway,
				AuxAddress: pool.AuxiliaryAddresses,
			})
		}
		out.Create.IPAM = ipam
	}
	return out
}

// attachments are the service's network attachments, sorted by network
// name. Every network but the engine's predefined ones gets the compose
// service name as an alias, as docker stack adds it.
func (c *converter) attachments(s types.ServiceConfig) []swarm.NetworkAttachmentConfig {
	var out []swarm.NetworkAttachmentConfig
	nets := serviceNetworks(s)
	for _, key := range sortedKeys(nets) {
		cfg := nets[key]
		target := c.networks[key].Name
		a := swarm.NetworkAttachmentConfig{Target: target}
		if cfg != nil {
			a.Aliases = append(a.Aliases, cfg.Aliases...)
			a.DriverOpts = cfg.DriverOpts
			c.networkWarnings(s.Name, key, cfg)
		}
		useName := cfg == nil || cfg.UseServiceNameAlias == nil || *cfg.UseServiceNameAlias
		if useName && !predefinedNetwork(target) && !slices.Contains(a.Aliases, s.Name) {
			a.Aliases = append(a.Aliases, s.Name)
		}
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b swarm.NetworkAttachmentConfig) int { return cmp.Compare(a.Target, b.Target) })
	return out
}

func predefinedNetwork(name string) bool {
	switch name {
	case "host", "bridge", "none", "ingress", "docker_gwbridge":
		return true
	}
	return false
}

// networkWarnings names the per-network keys swarm has no field for.
func (c *converter) networkWarnings(service, key string, cfg *types.ServiceNetworkConfig) {
	for _, k := range []struct {
		name string
		set  bool
	}{
		{"ipv4_address", cfg.Ipv4Address != ""},
		{"ipv6_address", cfg.Ipv6Address != ""},
		{"link_local_ips", len(cfg.LinkLocalIPs) > 0},
		{"mac_address", cfg.MacAddress != ""},
		{"priority", cfg.Priority != 0},
		{"gw_priority", cfg.GatewayPriority != 0},
		{"interface_name", cfg.InterfaceName != ""},
	} {
		if k.set {
			c.warn(service, "networks."+key+"."+k.name, ignored)
		}
	}
}
