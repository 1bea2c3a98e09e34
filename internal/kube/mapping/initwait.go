package mapping

import (
	"fmt"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	corev1 "k8s.io/api/core/v1"
)

// waitContainers are the init containers that hold s's pods until what it
// depends on is ready (MapOptions.DependsOnInit), one per dependency in
// name order, each named wait-DEPENDENCY: kubectl get pods shows the pod
// in Init:N/M, and the init container's log says what it waits for.
//
// Ready is as Kubernetes routes: a connection to the dependency's Service
// (its first TCP port) succeeds only once one of its pods is ready (its
// readiness probe is the healthcheck; a pod without one is ready once it
// runs), and a headless Service's name resolves only to ready pods. So
// service_healthy and service_started both wait for a ready pod; a
// service_completed_successfully dependency (a Job's completion) cannot be
// seen from a pod without API access: reported, not waited for.
func (m *mapper) waitContainers(s types.ServiceConfig, main corev1.Container) []corev1.Container {
	if !m.o.DependsOnInit {
		return nil
	}
	var out []corev1.Container
	for _, dep := range sortedKeys(s.DependsOn) {
		d, ok := m.p.Services[dep]
		if !ok {
			continue
		}
		cond := s.DependsOn[dep].Condition
		if cond == types.ServiceConditionCompletedSuccessfully || isJob(d) {
			m.note(s.Name, "depends_on", "%s: no init container waits for it (a pod cannot see a Job complete or a container exit); deploy waits for it, kubectl apply does not", dep)
			continue
		}
		script, ok := m.waitScript(s.Name, d)
		if !ok {
			continue
		}
		c := corev1.Container{
			Name:            dnsName("wait-" + m.names[dep]),
			Image:           main.Image,
			ImagePullPolicy: main.ImagePullPolicy,
			Command:         []string{"/bin/sh", "-c", script},
			SecurityContext: main.SecurityContext.DeepCopy(),
		}
		if m.o.InitImage != "" {
			c.Image, c.ImagePullPolicy = m.o.InitImage, corev1.PullIfNotPresent
		}
		out = append(out, c)
	}
	return out
}

func isJob(s types.ServiceConfig) bool {
	return s.Deploy != nil && strings.HasSuffix(s.Deploy.Mode, "-job")
}

// waitScript is the shell loop that waits for dependency d of service:
// a TCP connection to its Service's first TCP port (nc, else bash's
// /dev/tcp), or, for a headless Service, its name resolving (getent, else
// nslookup of its full name). An image with neither tool fails the init container with a
// message saying so. false when d's Service cannot say it is ready.
func (m *mapper) waitScript(service string, d types.ServiceConfig) (string, bool) {
	name := m.names[d.Name]
	headless := d.Deploy != nil && d.Deploy.EndpointMode == "dnsrr"
	var port int32
	hasPorts := false
	for _, p := range listenPorts(d) {
		hasPorts = true
		if p.protocol == corev1.ProtocolTCP && port == 0 {
			port = p.port
		}
	}
	if !hasPorts {
		headless = true
	}
	const missing = `else echo "devstack: this image has %s to wait for %s with: name an image that has (--depends-on-init-image)" >&2; exit 1; fi`
	var check, what string
	switch {
	case headless:
		what = name
		// busybox's nslookup uses no search domains: the pod's first
		// (NAMESPACE.svc.CLUSTER-DOMAIN) makes the Service's full name.
		check = fmt.Sprintf(`if command -v getent >/dev/null 2>&1; then getent hosts %[1]s >/dev/null 2>&1; `+
			`elif command -v nslookup >/dev/null 2>&1; then d=$(sed -n 's/^search \([^ ]*\).*/\1/p' /etc/resolv.conf | head -n 1); `+
			`nslookup %[1]s${d:+.$d} >/dev/null 2>&1; `+missing, name, "neither getent nor nslookup", name)
	case port != 0:
		what = fmt.Sprintf("%s:%d", name, port)
		check = fmt.Sprintf(`if command -v nc >/dev/null 2>&1; then nc -w 2 %[1]s %[2]d </dev/null >/dev/null 2>&1; `+
			`elif command -v bash >/dev/null 2>&1; then bash -c 'exec 3<>/dev/tcp/%[1]s/%[2]d' >/dev/null 2>&1; `+missing, name, port, "neither nc nor bash", name)
	default:
		m.note(service, "depends_on", "%s: no init container waits for it: it listens on no TCP port, and its Service's name resolves before it is ready", d.Name)
		return "", false
	}
	return fmt.Sprintf("echo 'waiting for %[1]s to be ready'\nuntil %[2]s\ndo sleep 1; done\necho '%[1]s is ready'", what, check), true
}
