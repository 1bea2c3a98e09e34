package stack

import (
	"testing"

	"github.com/docker/docker/api/types/swarm"
)

func TestConvertPorts(t *testing.T) {
	tcp, udp := swarm.PortConfigProtocolTCP, swarm.PortConfigProtocolUDP
	ingress, host := swarm.PortConfigPublishModeIngress, swarm.PortConfigPublishModeHost
	for _, c := range []struct {
		name, body string
		want       []swarm.PortConfig
	}{
		{"published:target", "ports: [\"8080:80\"]", []swarm.PortConfig{{Protocol: tcp, TargetPort: 80, PublishedPort: 8080, PublishMode: ingress}}},
		{"target only: the engine picks", "ports: [\"80\"]", []swarm.PortConfig{{Protocol: tcp, TargetPort: 80, PublishMode: ingress}}},
		{"udp", "ports: [\"53:53/udp\"]", []swarm.PortConfig{{Protocol: udp, TargetPort: 53, PublishedPort: 53, PublishMode: ingress}}},
		{"host mode, long form", "ports: [{target: 80, published: \"8080\", mode: host, protocol: tcp}]", []swarm.PortConfig{{Protocol: tcp, TargetPort: 80, PublishedPort: 8080, PublishMode: host}}},
		{"range to range", "ports: [\"8000-8001:80-81\"]", []swarm.PortConfig{
			{Protocol: tcp, TargetPort: 80, PublishedPort: 8000, PublishMode: ingress},
			{Protocol: tcp, TargetPort: 81, PublishedPort: 8001, PublishMode: ingress},
		}},
		{"named", "ports: [{name: web, target: 80}]", []swarm.PortConfig{{Name: "web", Protocol: tcp, TargetPort: 80, PublishMode: ingress}}},
		{"dnsrr with host mode", "deploy: {endpoint_mode: dnsrr}\nports: [{target: 80, published: \"8080\", mode: host}]", []swarm.PortConfig{{Protocol: tcp, TargetPort: 80, PublishedPort: 8080, PublishMode: host}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			check(t, c.name, web(t, c.body, "").Spec.EndpointSpec.Ports, c.want)
		})
	}
}
