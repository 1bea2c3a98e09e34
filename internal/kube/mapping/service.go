package mapping

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

var serviceType = metav1.TypeMeta{APIVersion: "v1", Kind: "Service"}

// NodePorts is the range a Service's nodePort must be in (the API
// server's default --service-node-port-range).
const minNodePort, maxNodePort = 30000, 32767

// listenPort is a port a service's container listens on; published is
// its host port in compose ("" when not published).
type listenPort struct {
	port      int32
	protocol  corev1.Protocol
	published string
	hostIP    string
}

// listenPorts are the service's ports and expose entries.
func listenPorts(s types.ServiceConfig) []listenPort {
	var out []listenPort
	for _, p := range s.Ports {
		out = append(out, listenPort{port: int32(p.Target), protocol: protocol(p.Protocol), published: p.Published, hostIP: p.HostIP})
	}
	for _, e := range s.Expose {
		spec, proto, _ := strings.Cut(e, "/")
		lo, hi, _ := strings.Cut(spec, "-")
		first, err := strconv.Atoi(lo)
		if err != nil {
			continue
		}
		last := first
		if hi != "" {
			if last, err = strconv.Atoi(hi); err != nil || last < first || last-first > 100 {
				last = first
			}
		}
		for port := first; port <= last; port++ {
			out = append(out, listenPort{port: int32(port), protocol: protocol(proto)})
		}
	}
	return out
}

func protocol(p string) corev1.Protocol {
	switch strings.ToLower(p) {
	case "udp":
		return corev1.ProtocolUDP
	case "sctp":
		return corev1.ProtocolSCTP
	}
	return corev1.ProtocolTCP
}

// service is the Service that gives s its name in the cluster: ClusterIP
// on each port it listens on; NodePort (LoadBalancer with the option)
// when it publishes one; headless when it listens on none, so that its
// name still resolves. Jobs get none.
func (m *mapper) service(s types.ServiceConfig) *corev1.Service {
	if s.Deploy != nil && strings.HasSuffix(s.Deploy.Mode, "-job") {
		return nil
	}
	svc := &corev1.Service{TypeMeta: serviceType, ObjectMeta: m.meta(m.names[s.Name], m.serviceLabels(s.Name)),
		Spec: corev1.ServiceSpec{Selector: m.selector(s.Name)}}
	published := false
	seen := map[string]bool{}
	for _, p := range listenPorts(s) {
		if p.hostIP != "" {
			m.note(s.Name, "ports", "host_ip %s of port %d not mapped: a Service listens on every node", p.hostIP, p.port)
		}
		id := fmt.Sprint(p.port, p.protocol, p.published)
		if seen[id] {
			continue
		}
		seen[id] = true
		sp := corev1.ServicePort{Name: portName(p.protocol, p.port), Port: p.port, TargetPort: intstr.FromInt32(p.port), Protocol: p.protocol}
		if p.published == "" {
			svc.Spec.Ports = append(svc.Spec.Ports, sp)
			continue
		}
		published = true
		svc.Spec.Ports = append(svc.Spec.Ports, m.publish(s.Name, p, sp)...)
	}
	switch {
	case len(svc.Spec.Ports) == 0 || s.Deploy != nil && s.Deploy.EndpointMode == "dnsrr":
		svc.Spec.ClusterIP = corev1.ClusterIPNone
		svc.Spec.Ports = stripNodePorts(svc.Spec.Ports)
	case published && m.o.LoadBalancer:
		svc.Spec.Type = corev1.ServiceTypeLoadBalancer
	case published:
		svc.Spec.Type = corev1.ServiceTypeNodePort
	}
	return svc
}

// publish maps a published port: the Service keeps the container's port
// (other services use it by name); with a load balancer, the published
// port is served too; as a NodePort, the published port is the node
// port when it is in the node port range.
func (m *mapper) publish(service string, p listenPort, sp corev1.ServicePort) []corev1.ServicePort {
	pub, err := strconv.Atoi(p.published)
	if err != nil {
		m.note(service, "ports", "published %q of port %d not mapped: the cluster picks a node port", p.published, p.port)
		pub = 0
	}
	if m.o.LoadBalancer {
		out := []corev1.ServicePort{sp}
		if pub != 0 && int32(pub) != p.port {
			extra := sp
			extra.Name, extra.Port = portName(p.protocol, int32(pub)), int32(pub)
			out = append(out, extra)
		}
		return out
	}
	if pub >= minNodePort && pub <= maxNodePort {
		sp.NodePort = int32(pub)
	} else if pub != 0 {
		m.note(service, "ports", "published port %d is outside the node port range %d-%d: the cluster picks the node port (deploy ps shows it; --load-balancer serves %d)", pub, minNodePort, maxNodePort, pub)
	}
	return []corev1.ServicePort{sp}
}

func portName(p corev1.Protocol, port int32) string {
	return fmt.Sprintf("%s-%d", strings.ToLower(string(p)), port)
}

func stripNodePorts(ports []corev1.ServicePort) []corev1.ServicePort {
	for i := range ports {
		ports[i].NodePort = 0
	}
	return ports
}

func intstrPort(p int32) intstr.IntOrString { return intstr.FromInt32(p) }
