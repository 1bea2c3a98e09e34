package stack

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/swarm"
)

// endpointSpec maps endpoint_mode and ports. Ports are published in
// ingress mode (the routing mesh) unless mode: host; a published port left
// out lets the engine pick one. dnsrr has no virtual IP, so the routing
// mesh cannot reach it: ingress ports with dnsrr are refused, as the
// engine refuses them, but here with the service named.
func (c *converter) endpointSpec(s types.ServiceConfig, mode string) (*swarm.EndpointSpec, error) {
	switch mode {
	case "", "vip", "dnsrr":
	default:
		return nil, fmt.Errorf("%w: service %s: deploy.endpoint_mode %q (want vip or dnsrr)", ErrInvalid, s.Name, mode)
	}
	out := &swarm.EndpointSpec{Mode: swarm.ResolutionMode(mode)}
	warned := map[string]bool{}
	for _, p := range s.Ports {
		pc, err := portConfig(s.Name, p)
		if err != nil {
			return nil, err
		}
		if mode == "dnsrr" && pc.PublishMode == swarm.PortConfigPublishModeIngress {
			return nil, fmt.Errorf("%w: service %s: port %d is published in ingress mode, which endpoint_mode dnsrr cannot serve; use mode: host for it", ErrInvalid, s.Name, p.Target)
		}
		for _, k := range []struct {
			key, msg string
			set      bool
		}{
			{"ports.host_ip", "has no meaning on swarm (a port is published on every address of every node); ignored", p.HostIP != ""},
			{"ports.app_protocol", ignored, p.AppProtocol != ""},
		} {
			if k.set && !warned[k.key] {
				warned[k.key] = true
				c.warn(s.Name, k.key, k.msg)
			}
		}
		out.Ports = append(out.Ports, pc)
	}
	return out, nil
}

func portConfig(service string, p types.ServicePortConfig) (swarm.PortConfig, error) {
	pc := swarm.PortConfig{
		Name:        p.Name,
		Protocol:    swarm.PortConfigProtocol(strings.ToLower(p.Protocol)),
		TargetPort:  p.Target,
		PublishMode: swarm.PortConfigPublishMode(p.Mode),
	}
	if pc.Protocol == "" {
		pc.Protocol = swarm.PortConfigProtocolTCP
	}
	switch pc.Protocol {
	case swarm.PortConfigProtocolTCP, swarm.PortConfigProtocolUDP, swarm.PortConfigProtocolSCTP:
	default:
		return pc, fmt.Errorf("%w: service %s: port %d: protocol %q (want tcp, udp or sctp)", ErrInvalid, service, p.Target, p.Protocol)
	}
	switch pc.PublishMode {
	case "":
		pc.PublishMode = swarm.PortConfigPublishModeIngress
	case swarm.PortConfigPublishModeIngress, swarm.PortConfigPublishModeHost:
	default:
		return pc, fmt.Errorf("%w: service %s: port %d: mode %q (want ingress or host)", ErrInvalid, service, p.Target, p.Mode)
	}
	published, err := publishedPort(p.Published)
	if err != nil {
		return pc, fmt.Errorf("%w: service %s: port %d: published %q: %v", ErrInvalid, service, p.Target, p.Published, err)
	}
	pc.PublishedPort = published
	return pc, nil
}

// publishedPort is the host port; a range of one port is that port. A
// wider range for one target ("8000-8010:80": any free port of the range)
// cannot be said to swarm, which publishes one given port or one it picks.
func publishedPort(s string) (uint32, error) {
	if s == "" {
		return 0, nil
	}
	lo, hi, isRange := strings.Cut(s, "-")
	n, err := strconv.ParseUint(lo, 10, 16)
	if err != nil {
		return 0, fmt.Errorf("not a port number")
	}
	if isRange && hi != lo {
		return 0, fmt.Errorf("swarm publishes one port per target, not a range to choose from; name one port, or as many targets as ports (8000-8001:80-81)")
	}
	return uint32(n), nil
}
