package convert

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
)

// HostPort is one published host port a service asks for.
type HostPort struct {
	Service  string
	IP       string
	Port     int
	Protocol string
}

func (h HostPort) String() string {
	ip := h.IP
	if ip == "" {
		ip = "0.0.0.0"
	}
	return fmt.Sprintf("%s/%s", net.JoinHostPort(ip, strconv.Itoa(h.Port)), h.Protocol)
}

// PublishedPorts lists the fixed host ports of the project's services. Pure.
func PublishedPorts(p *types.Project) ([]HostPort, error) {
	var out []HostPort
	for _, name := range p.ServiceNames() {
		s := p.Services[name]
		for _, pc := range s.Ports {
			if pc.Published == "" {
				continue
			}
			lo, hi, err := portRange(pc.Published)
			if err != nil {
				return nil, fmt.Errorf("service %s: published port %q: %w", name, pc.Published, err)
			}
			proto := pc.Protocol
			if proto == "" {
				proto = "tcp"
			}
			for port := lo; port <= hi; port++ {
				out = append(out, HostPort{Service: name, IP: pc.HostIP, Port: port, Protocol: proto})
			}
		}
	}
	return out, nil
}

func portRange(s string) (int, int, error) {
	a, b, isRange := strings.Cut(s, "-")
	lo, err := strconv.Atoi(a)
	if err != nil {
		return 0, 0, err
	}
	hi := lo
	if isRange {
		if hi, err = strconv.Atoi(b); err != nil {
			return 0, 0, err
		}
	}
	return lo, hi, nil
}

// PortKey is how the engine writes a port with its protocol: "8080/tcp".
func PortKey(port int, proto string) string { return strconv.Itoa(port) + "/" + proto }

// DuplicatePorts refuses host ports two services (or two replicas of one)
// would both bind. Pure.
func DuplicatePorts(p *types.Project, want []HostPort) error {
	byPort := map[string][]HostPort{}
	for _, h := range want {
		s := p.Services[h.Service]
		if n := s.GetScale(); n > 1 {
			return fmt.Errorf("%w: service %s publishes fixed host port %s but has %d replicas; only one can bind it (publish only the container port instead)", ErrPortInUse, h.Service, h, n)
		}
		k := PortKey(h.Port, h.Protocol)
		for _, o := range byPort[k] {
			if o.IP == h.IP || wildcard(o.IP) || wildcard(h.IP) {
				return fmt.Errorf("%w: services %s and %s both publish host port %s", ErrPortInUse, o.Service, h.Service, h)
			}
		}
		byPort[k] = append(byPort[k], h)
	}
	return nil
}

func wildcard(ip string) bool { return ip == "" || ip == "0.0.0.0" || ip == "::" }
