package convert

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
)

// Target is what ContainerSpec converts for: the engine's negotiated API
// version, the containers that references to other services (links,
// volumes_from, network_mode/ipc/pid service:NAME) resolve to, and the
// proxy environment docker's config sets, and how to read host files.
type Target struct {
	APIVersion string                  // "" carries every field
	Refs       map[string][]Ref        // service -> its containers
	ProxyEnv   types.MappingWithEquals // docker's configured proxies (ProxyEnv), under the service's environment
	// ReadFile reads host files the config names (security_opt's
	// seccomp profile); the apply side passes os.ReadFile.
	ReadFile func(name string) ([]byte, error)
}

// Ref is a container that a reference to its service (links,
// volumes_from, network_mode/ipc/pid service:NAME) resolves to.
type Ref struct {
	ID, Name string
	Number   int
}

// ServiceRefs lists the services whose containers s's config names, and
// which must therefore exist before s's containers are created. compose-go
// also makes each a depends_on entry, so start order follows. Pure.
func ServiceRefs(s types.ServiceConfig) []string {
	seen := map[string]bool{}
	for _, mode := range []string{s.NetworkMode, s.Ipc, s.Pid} {
		if name, ok := strings.CutPrefix(mode, types.ServicePrefix); ok {
			seen[name] = true
		}
	}
	for _, v := range s.VolumesFrom {
		if !strings.HasPrefix(v, types.ContainerPrefix) {
			name, _, _ := strings.Cut(v, ":")
			seen[name] = true
		}
	}
	for _, l := range s.Links {
		name, _, _ := strings.Cut(l, ":")
		seen[name] = true
	}
	return sortedNames(seen)
}

// applyWiring sets what connects the container to others: networks and
// their endpoints, network_mode, links and external_links, volumes_from,
// ipc/pid shared with another service, dns_opt. Pure.
func applyWiring(p *types.Project, s types.ServiceConfig, number int, t Target, spec *Spec) error {
	host := spec.Host
	host.DNSOptions = s.DNSOpts
	links, err := convertLinks(p.Name, s, number, t.Refs)
	if err != nil {
		return err
	}
	host.Links = links
	if host.VolumesFrom, err = convertVolumesFrom(s, t.Refs); err != nil {
		return err
	}
	mode, err := sharedMode(s, "network_mode", s.NetworkMode, t.Refs)
	if err != nil {
		return err
	}
	ipc, err := sharedMode(s, "ipc", s.Ipc, t.Refs)
	if err != nil {
		return err
	}
	pid, err := sharedMode(s, "pid", s.Pid, t.Refs)
	if err != nil {
		return err
	}
	host.IpcMode, host.PidMode = container.IpcMode(ipc), container.PidMode(pid)
	if mode != "" {
		host.NetworkMode = container.NetworkMode(mode)
		if s.MacAddress != "" {
			spec.Config.MacAddress = s.MacAddress //nolint:staticcheck // the only place API < 1.44 takes it
		}
		return nil
	}
	return attachNetworks(p, s, number, t.APIVersion, links, spec)
}

// sharedMode resolves service:NAME to container:ID of NAME's first
// container, as docker compose does; other values pass through.
func sharedMode(s types.ServiceConfig, key, mode string, refs map[string][]Ref) (string, error) {
	name, ok := strings.CutPrefix(mode, types.ServicePrefix)
	if !ok {
		return mode, nil
	}
	c, err := firstContainer(s, key+": "+mode, name, refs)
	if err != nil {
		return "", err
	}
	return types.ContainerPrefix + c.ID, nil
}

func firstContainer(s types.ServiceConfig, key, name string, refs map[string][]Ref) (Ref, error) {
	cs := append([]Ref(nil), refs[name]...)
	if len(cs) == 0 {
		return Ref{}, fmt.Errorf("%w: service %s: %s: service %s has no container", ErrNoContainer, s.Name, key, name)
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].Number < cs[j].Number })
	return cs[0], nil
}

// convertVolumesFrom resolves SERVICE[:ro|rw] to the ID of the service's
// first container and container:NAME[:ro|rw] to NAME, keeping the access
// mode (docker compose drops it, which makes :ro mounts writable).
func convertVolumesFrom(s types.ServiceConfig, refs map[string][]Ref) ([]string, error) {
	var out []string
	for _, v := range s.VolumesFrom {
		if rest, ok := strings.CutPrefix(v, types.ContainerPrefix); ok {
			out = append(out, rest)
			continue
		}
		name, access, _ := strings.Cut(v, ":")
		c, err := firstContainer(s, "volumes_from", name, refs)
		if err != nil {
			return nil, err
		}
		if access != "" {
			out = append(out, c.ID+":"+access)
		} else {
			out = append(out, c.ID)
		}
	}
	return out, nil
}

// convertLinks writes links as docker compose does: each container of a
// linked service under the link's alias, SERVICE-N and PROJECT-SERVICE-N
// (N being this container's number, compose's own quirk), then
// external_links CONTAINER[:ALIAS]. On a user-defined network the engine
// makes them aliases on the network.
func convertLinks(project string, s types.ServiceConfig, number int, refs map[string][]Ref) ([]string, error) {
	var out []string
	n := strconv.Itoa(number)
	for _, l := range s.Links {
		name, alias, ok := strings.Cut(l, ":")
		if !ok {
			alias = name
		}
		cs := append([]Ref(nil), refs[name]...)
		if len(cs) == 0 {
			return nil, fmt.Errorf("%w: service %s: links: service %s has no container", ErrNoContainer, s.Name, name)
		}
		sort.Slice(cs, func(i, j int) bool { return cs[i].Number < cs[j].Number })
		for _, c := range cs {
			out = append(out, c.Name+":"+alias, c.Name+":"+name+"-"+n, c.Name+":"+project+"-"+name+"-"+n)
		}
	}
	for _, l := range s.ExternalLinks {
		name, alias, ok := strings.Cut(l, ":")
		if !ok {
			alias = name
		}
		out = append(out, name+":"+alias)
	}
	return out, nil
}

// attachNetworks puts the container on its networks: the one of highest
// priority at create time, the others connected before start.
func attachNetworks(p *types.Project, s types.ServiceConfig, number int, apiVersion string, links []string, spec *Spec) error {
	primary := primaryNetwork(s)
	if primary == "" {
		return nil
	}
	if !apiAtLeast(apiVersion, apiEndpointMAC) {
		// Before 1.44 the container-wide MacAddress is the primary network's.
		mac := s.MacAddress
		if cfg := s.Networks[primary]; cfg != nil && cfg.MacAddress != "" {
			if mac != "" && mac != cfg.MacAddress {
				return fmt.Errorf("%w: service %s: mac_address %s differs from networks.%s.mac_address %s", ErrInvalidConfig, s.Name, mac, primary, cfg.MacAddress)
			}
			mac = cfg.MacAddress
		}
		spec.Config.MacAddress = mac //nolint:staticcheck // the only place API < 1.44 takes it
	}
	for _, key := range s.NetworksByPriority() {
		ep := endpoint(p, s, number, key, apiVersion, links)
		netName := NetworkName(p, key)
		if key == primary {
			if ep.MacAddress == "" && apiAtLeast(apiVersion, apiEndpointMAC) {
				ep.MacAddress = s.MacAddress
			}
			spec.Host.NetworkMode = container.NetworkMode(netName)
			spec.Network = &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{netName: ep}}
			continue
		}
		spec.Connects[netName] = ep
	}
	return nil
}

// NetworkName is the engine's name of the project's network key: its
// name:, else <project>_<key>.
func NetworkName(p *types.Project, key string) string {
	if n := p.Networks[key].Name; n != "" {
		return n
	}
	return p.Name + "_" + key
}

// endpoint is one network's settings: aliases (the container's name, the
// service's, then the network's aliases; not the hostname), links, fixed
// addresses, MAC address, driver options and gateway priority as far as
// the API version carries them.
func endpoint(p *types.Project, s types.ServiceConfig, number int, key, apiVersion string, links []string) *network.EndpointSettings {
	ep := &network.EndpointSettings{Aliases: []string{ContainerName(p.Name, s, number), s.Name}, Links: links}
	cfg := s.Networks[key]
	if cfg == nil {
		return ep
	}
	ep.Aliases = append(ep.Aliases, cfg.Aliases...)
	ep.IPAMConfig = &network.EndpointIPAMConfig{IPv4Address: cfg.Ipv4Address, IPv6Address: cfg.Ipv6Address, LinkLocalIPs: cfg.LinkLocalIPs}
	ep.DriverOpts = cfg.DriverOpts
	if apiAtLeast(apiVersion, apiEndpointMAC) {
		ep.MacAddress = cfg.MacAddress
	}
	if apiAtLeast(apiVersion, apiGwPriority) {
		ep.GwPriority = cfg.GatewayPriority
	}
	return ep
}
