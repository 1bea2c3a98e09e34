package containers

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/convert"

	"github.com/devstack/devstack/internal/dockerapi"
)

// PortLookup finds the host address a container publishes its port on,
// "127.0.0.1:8080" (IPv4 first when it is published on both). Pure.
func PortLookup(ports []container.Port, port int, proto string) (string, error) {
	var found []string
	for _, p := range ports {
		if int(p.PrivatePort) != port || p.Type != proto || p.PublicPort == 0 {
			continue
		}
		ip := p.IP
		if ip == "" {
			ip = "0.0.0.0"
		}
		addr := net.JoinHostPort(ip, strconv.Itoa(int(p.PublicPort)))
		if strings.Contains(ip, ":") {
			found = append(found, addr)
		} else {
			found = append([]string{addr}, found...)
		}
	}
	if len(found) == 0 {
		return "", fmt.Errorf("%w: %d/%s", ErrNoPort, port, proto)
	}
	return found[0], nil
}

// ParsePort reads the PORT argument of `port`: 80, or 80/udp (which then
// wins over --protocol). Pure.
func ParsePort(arg, proto string) (int, string, error) {
	num, p, ok := strings.Cut(arg, "/")
	if ok {
		proto = p
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 || n > 65535 {
		return 0, "", fmt.Errorf("invalid port %q: a number from 1 to 65535, optionally /tcp, /udp or /sctp", arg)
	}
	if proto != "tcp" && proto != "udp" && proto != "sctp" {
		return 0, "", fmt.Errorf("invalid protocol %q: tcp, udp or sctp", proto)
	}
	return n, proto, nil
}

// Port is the host address the index-th container of the service
// publishes port/proto on.
func Port(ctx context.Context, api dockerapi.ContainerAPI, project, service string, index, port int, proto string) (string, error) {
	cs, err := Select(ctx, api, project, []string{service})
	if err != nil {
		return "", err
	}
	for _, c := range cs {
		if c.Number != index {
			continue
		}
		addr, err := PortLookup(c.Summary.Ports, port, proto)
		if err != nil {
			return "", fmt.Errorf("service %s, container %s: %w", service, c.Name, err)
		}
		return addr, nil
	}
	return "", fmt.Errorf("%w: service %s has no container number %d (it has %d)", convert.ErrNoContainer, service, index, len(cs))
}
