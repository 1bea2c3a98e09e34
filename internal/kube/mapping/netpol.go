package mapping

import (
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

var networkPolicyType = metav1.TypeMeta{APIVersion: "networking.k8s.io/v1", Kind: "NetworkPolicy"}

// networkPolicies give compose's networks their meaning: a pod takes
// traffic only from pods it shares a network with (one policy per
// network: policies add up), and, for a service that publishes ports,
// from anywhere on those ports.
func (m *mapper) networkPolicies() []Object {
	members := map[string]bool{}
	var published []Object
	for _, name := range sortedKeys(m.p.Services) {
		s := m.p.Services[name]
		for _, n := range m.serviceNetworksQuiet(name) {
			members[n] = true
		}
		var ports []networkingv1.NetworkPolicyPort
		for _, p := range listenPorts(s) {
			if p.published != "" {
				port := intstrPort(p.port)
				ports = append(ports, networkingv1.NetworkPolicyPort{Protocol: &p.protocol, Port: &port})
			}
		}
		if len(ports) > 0 {
			published = append(published, &networkingv1.NetworkPolicy{TypeMeta: networkPolicyType,
				ObjectMeta: m.meta(m.names[name]+"-published", m.serviceLabels(name)),
				Spec: networkingv1.NetworkPolicySpec{
					PodSelector: metav1.LabelSelector{MatchLabels: m.selector(name)},
					PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress},
					Ingress:     []networkingv1.NetworkPolicyIngressRule{{Ports: ports}},
				}})
		}
	}
	var out []Object
	for _, n := range sortedKeys(members) {
		sel := metav1.LabelSelector{MatchLabels: map[string]string{networkLabel + dnsName(n): "true", LabelProject: labelValue(m.p.Name)}}
		out = append(out, &networkingv1.NetworkPolicy{TypeMeta: networkPolicyType,
			ObjectMeta: m.meta("network-"+dnsName(n), m.projectLabels()),
			Spec: networkingv1.NetworkPolicySpec{
				PodSelector: sel,
				PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress},
				Ingress:     []networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{{PodSelector: &sel}}}},
			}})
	}
	return append(out, published...)
}

// serviceNetworksQuiet is serviceNetworks without its notes (said once
// already, by the pod).
func (m *mapper) serviceNetworksQuiet(name string) []string {
	s := m.p.Services[name]
	if s.NetworkMode != "" {
		return nil
	}
	return sortedKeys(s.Networks)
}
