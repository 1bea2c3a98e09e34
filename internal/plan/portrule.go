package plan

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/convert"
)

// PortMove says a service's host port moves because the wanted one is taken.
type PortMove struct {
	Service  string
	From, To int
	Protocol string
	Index    int // in the service's ports
}

// portSearch is how far past a taken port the rule looks for a free one.
const portSearch = 100

// MovePorts gives services from the preset catalogue (isPreset says which,
// by their extensions) free host ports. A port the service's own
// container already publishes stays; a wanted port that is free is kept;
// otherwise the next free one is taken. No two services get the same port.
// isFree probes the host. It returns the moves; ApplyPortMoves makes them.
func MovePorts(p *types.Project, own map[string]map[string]int, isPreset func(types.Extensions) bool, isFree func(convert.HostPort) bool) ([]PortMove, error) {
	claimed := map[string]bool{}
	key := func(h convert.HostPort) string { return h.IP + "|" + strconv.Itoa(h.Port) + "/" + h.Protocol }
	fixed, err := convert.PublishedPorts(p)
	if err != nil {
		return nil, err
	}
	for _, h := range fixed {
		if !isPreset(p.Services[h.Service].Extensions) {
			claimed[key(h)] = true
		}
	}
	var moves []PortMove
	for _, name := range p.ServiceNames() {
		s := p.Services[name]
		if !isPreset(s.Extensions) {
			continue
		}
		for i, pc := range s.Ports {
			want, err := strconv.Atoi(pc.Published)
			if err != nil {
				continue // unpublished or a range: left as written
			}
			h := convert.HostPort{Service: name, IP: pc.HostIP, Port: want, Protocol: protocol(pc)}
			if mine, ok := own[name][convert.PortKey(int(pc.Target), h.Protocol)]; ok && !claimed[key(withPort(h, mine))] {
				h.Port = mine
			} else {
				for !(!claimed[key(h)] && isFree(h)) {
					if h.Port++; h.Port > want+portSearch || h.Port > 65535 {
						return nil, fmt.Errorf("%w: service %s: no free host port in %d-%d", convert.ErrPortInUse, name, want, want+portSearch)
					}
				}
			}
			claimed[key(h)] = true
			if h.Port != want {
				moves = append(moves, PortMove{Service: name, From: want, To: h.Port, Protocol: h.Protocol, Index: i})
			}
		}
	}
	return moves, nil
}

// ApplyPortMoves publishes the moved ports in p (a copy of its own: the
// ports lists are copied, not written through).
func ApplyPortMoves(p *types.Project, moves []PortMove) {
	for _, m := range moves {
		s := p.Services[m.Service]
		s.Ports = slices.Clone(s.Ports)
		s.Ports[m.Index].Published = strconv.Itoa(m.To)
		p.Services[m.Service] = s
	}
}

func withPort(h convert.HostPort, port int) convert.HostPort { h.Port = port; return h }

func protocol(pc types.ServicePortConfig) string {
	if pc.Protocol == "" {
		return "tcp"
	}
	return pc.Protocol
}

// ServicePorts maps service -> "target/proto" (PortKey) -> the host port
// its containers publish now.
func ServicePorts(cs []Container) map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, c := range cs {
		for _, pt := range c.Summary.Ports {
			if pt.PublicPort == 0 {
				continue
			}
			if out[c.Service] == nil {
				out[c.Service] = map[string]int{}
			}
			out[c.Service][convert.PortKey(int(pt.PrivatePort), pt.Type)] = int(pt.PublicPort)
		}
	}
	return out
}
