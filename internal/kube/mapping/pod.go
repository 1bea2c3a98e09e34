package mapping

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/utils/ptr"
)

// podTemplate is the pod a service's workload runs.
func (m *mapper) podTemplate(s types.ServiceConfig) (corev1.PodTemplateSpec, error) {
	c, err := m.container(s)
	if err != nil {
		return corev1.PodTemplateSpec{}, err
	}
	labels := m.serviceLabels(s.Name)
	m.addLabels(s.Name, "labels", labels, s.Labels)
	for _, n := range m.serviceNetworks(s) {
		labels[networkLabel+dnsName(n)] = "true"
	}
	spec := corev1.PodSpec{
		InitContainers:     m.waitContainers(s, c),
		Containers:         []corev1.Container{c},
		EnableServiceLinks: ptr.To(false), // compose injects no other services' addresses
		Hostname:           dnsHostname(s.Hostname),
		HostAliases:        m.hostAliases(s),
		DNSConfig:          dnsConfig(s),
		SecurityContext:    m.podSecurity(s),
		NodeSelector:       m.nodeSelector(s),
	}
	if s.StopGracePeriod != nil {
		spec.TerminationGracePeriodSeconds = ptr.To(int64(roundUpSeconds(*s.StopGracePeriod)))
	}
	m.namespaces(s, &spec)
	spec.Volumes, spec.Containers[0].VolumeMounts = m.volumes(s)
	return corev1.PodTemplateSpec{ObjectMeta: m.podMeta(labels, s), Spec: spec}, nil
}

// podMeta is the pod template's metadata: a built image's ID is an
// annotation, so that a rebuilt image rolls the pods even when its name
// (and, not pushed, the pod spec) stays the same.
func (m *mapper) podMeta(labels map[string]string, s types.ServiceConfig) metav1.ObjectMeta {
	ann := m.annotations(s)
	if id := m.in.Images[s.Name].ID; id != "" {
		if ann == nil {
			ann = map[string]string{}
		}
		ann[AnnotationImageID] = id
	}
	return metav1.ObjectMeta{Labels: labels, Annotations: ann}
}

// addLabels copies the compose labels that are valid Kubernetes labels;
// the others become annotations (annotations), said once.
func (m *mapper) addLabels(service, key string, dst map[string]string, src types.Labels) {
	var bad []string
	for _, k := range sortedKeys(src) {
		if len(validation.IsQualifiedName(k)) == 0 && len(validation.IsValidLabelValue(src[k])) == 0 {
			dst[k] = src[k]
		} else {
			bad = append(bad, k)
		}
	}
	if len(bad) > 0 {
		m.note(service, key, "%s: not valid Kubernetes labels; kept as annotations", strings.Join(bad, ", "))
	}
}

// annotations are the service's annotations plus its labels that are not
// valid Kubernetes labels.
func (m *mapper) annotations(s types.ServiceConfig) map[string]string {
	out := map[string]string{}
	maps.Copy(out, s.Annotations)
	for k, v := range s.Labels {
		if len(validation.IsQualifiedName(k)) != 0 || len(validation.IsValidLabelValue(v)) != 0 {
			out[k] = v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// serviceNetworks are the compose networks s is on (none with a
// network_mode).
func (m *mapper) serviceNetworks(s types.ServiceConfig) []string {
	if s.NetworkMode != "" {
		return nil
	}
	nets := sortedKeys(s.Networks)
	for _, n := range nets {
		if c := s.Networks[n]; c != nil && (len(c.Aliases) > 0 || c.Ipv4Address != "" || c.Ipv6Address != "") {
			m.note(s.Name, "networks."+n, "aliases and fixed addresses not mapped: other services reach it by its Service's name")
		}
	}
	return nets
}

func dnsHostname(h string) string {
	if h == "" {
		return ""
	}
	return dnsName(h)
}

// hostAliases maps extra_hosts; host-gateway has no pod equivalent.
func (m *mapper) hostAliases(s types.ServiceConfig) []corev1.HostAlias {
	byIP := map[string][]string{}
	for _, host := range sortedKeys(s.ExtraHosts) {
		for _, ip := range s.ExtraHosts[host] {
			if ip == "host-gateway" {
				m.note(s.Name, "extra_hosts", "%s:host-gateway not mapped: a pod has no host gateway address", host)
				continue
			}
			byIP[ip] = append(byIP[ip], host)
		}
	}
	var out []corev1.HostAlias
	for _, ip := range sortedKeys(byIP) {
		out = append(out, corev1.HostAlias{IP: ip, Hostnames: byIP[ip]})
	}
	return out
}

func dnsConfig(s types.ServiceConfig) *corev1.PodDNSConfig {
	if len(s.DNS) == 0 && len(s.DNSSearch) == 0 && len(s.DNSOpts) == 0 {
		return nil
	}
	c := &corev1.PodDNSConfig{Nameservers: s.DNS, Searches: s.DNSSearch}
	for _, o := range s.DNSOpts {
		k, v, ok := strings.Cut(o, ":")
		opt := corev1.PodDNSConfigOption{Name: k}
		if ok {
			opt.Value = &v
		}
		c.Options = append(c.Options, opt)
	}
	return c
}

// namespaces maps network_mode, pid and ipc "host"; the rest is reported.
func (m *mapper) namespaces(s types.ServiceConfig, spec *corev1.PodSpec) {
	switch {
	case s.NetworkMode == "host":
		spec.HostNetwork = true
		spec.DNSPolicy = corev1.DNSClusterFirstWithHostNet
		m.note(s.Name, "network_mode", "host: the pod uses its node's network (hostNetwork)")
	case s.NetworkMode != "":
		m.note(s.Name, "network_mode", "%q refused: a pod has its own network; put the services in one network instead", s.NetworkMode)
	}
	switch {
	case s.Pid == "host":
		spec.HostPID = true
	case s.Pid != "":
		m.note(s.Name, "pid", "%q not mapped: a pod shares its PID namespace only with the node (host)", s.Pid)
	}
	switch {
	case s.Ipc == "host":
		spec.HostIPC = true
	case s.Ipc != "" && s.Ipc != "private" && s.Ipc != "shareable":
		m.note(s.Name, "ipc", "%q not mapped: a pod shares its IPC namespace only with the node (host)", s.Ipc)
	}
}

// nodeSelector maps placement constraints node.hostname==X,
// node.labels.K==V, node.platform.os/arch==X and platform.
func (m *mapper) nodeSelector(s types.ServiceConfig) map[string]string {
	sel := map[string]string{}
	if s.Platform != "" {
		os, arch, _ := strings.Cut(s.Platform, "/")
		sel["kubernetes.io/os"] = os
		if arch != "" {
			sel["kubernetes.io/arch"] = strings.SplitN(arch, "/", 2)[0]
		}
	}
	if s.Deploy != nil {
		m.placement(s.Name, s.Deploy.Placement, sel)
	}
	if len(sel) == 0 {
		return nil
	}
	return sel
}

func (m *mapper) placement(service string, p types.Placement, sel map[string]string) {
	for _, c := range p.Constraints {
		k, v, ok := strings.Cut(strings.ReplaceAll(c, " ", ""), "==")
		switch {
		case !ok:
			m.note(service, "deploy.placement.constraints", "%q not mapped: only == constraints become a nodeSelector", c)
		case k == "node.hostname":
			sel["kubernetes.io/hostname"] = v
		case k == "node.platform.os":
			sel["kubernetes.io/os"] = v
		case k == "node.platform.arch":
			sel["kubernetes.io/arch"] = v
		case strings.HasPrefix(k, "node.labels."):
			sel[strings.TrimPrefix(k, "node.labels.")] = v
		default:
			m.note(service, "deploy.placement.constraints", "%q not mapped: Kubernetes nodes have no %s", c, k)
		}
	}
	if len(p.Preferences) > 0 || p.MaxReplicas > 0 {
		m.note(service, "deploy.placement", "preferences and max_replicas_per_node not mapped: add topologySpreadConstraints")
	}
}

// podSecurity maps sysctls and group_add (numeric groups only).
func (m *mapper) podSecurity(s types.ServiceConfig) *corev1.PodSecurityContext {
	var sc corev1.PodSecurityContext
	for _, k := range sortedKeys(s.Sysctls) {
		sc.Sysctls = append(sc.Sysctls, corev1.Sysctl{Name: k, Value: s.Sysctls[k]})
	}
	for _, g := range s.GroupAdd {
		var id int64
		if _, err := fmt.Sscan(g, &id); err != nil {
			m.note(s.Name, "group_add", "%q not mapped: Kubernetes takes numeric group IDs", g)
			continue
		}
		sc.SupplementalGroups = append(sc.SupplementalGroups, id)
	}
	if len(sc.Sysctls) > 0 {
		m.note(s.Name, "sysctls", "the kubelet allows only safe sysctls unless its --allowed-unsafe-sysctls names them")
	}
	if len(sc.Sysctls) == 0 && len(sc.SupplementalGroups) == 0 {
		return nil
	}
	slices.Sort(sc.SupplementalGroups)
	return &sc
}
