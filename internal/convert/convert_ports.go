package convert

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/go-connections/nat"
)

// convertPorts maps ports and expose. compose-go has already expanded
// port ranges (8000-8001:80-81) into one entry per port and set each
// protocol; a published range for one target (8000-8010:80) goes to the
// engine as is, which picks a free port in it. name, mode and
// app_protocol describe the port for swarm and tools and have no engine
// field. expose takes PORT[-END][/PROTO]. Pure.
func convertPorts(s types.ServiceConfig) (nat.PortSet, nat.PortMap, error) {
	set, bindings := nat.PortSet{}, nat.PortMap{}
	for _, e := range s.Expose {
		ports, err := exposedPorts(e)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: service %s: expose %q: %v", ErrInvalidConfig, s.Name, e, err)
		}
		for _, p := range ports {
			set[p] = struct{}{}
		}
	}
	for _, pc := range s.Ports {
		proto := strings.ToLower(pc.Protocol)
		if proto == "" {
			proto = "tcp"
		}
		p, err := nat.NewPort(proto, strconv.Itoa(int(pc.Target)))
		if err != nil {
			return nil, nil, fmt.Errorf("%w: service %s: port %d: %v", ErrInvalidConfig, s.Name, pc.Target, err)
		}
		set[p] = struct{}{}
		bindings[p] = append(bindings[p], nat.PortBinding{HostIP: pc.HostIP, HostPort: pc.Published})
	}
	return set, bindings, nil
}

func exposedPorts(spec string) ([]nat.Port, error) {
	rng, proto, _ := strings.Cut(spec, "/")
	if proto == "" {
		proto = "tcp"
	}
	start, end, err := nat.ParsePortRange(rng)
	if err != nil {
		return nil, err
	}
	var out []nat.Port
	for p := start; p <= end; p++ {
		port, err := nat.NewPort(proto, strconv.FormatUint(p, 10))
		if err != nil {
			return nil, err
		}
		out = append(out, port)
	}
	return out, nil
}
