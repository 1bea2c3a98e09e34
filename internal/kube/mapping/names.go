package mapping

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/devstack/devstack/internal/kube/wire"
)

// Labels every object carries.
const (
	LabelName      = "app.kubernetes.io/name"       // the compose service
	LabelInstance  = "app.kubernetes.io/instance"   // PROJECT-SERVICE
	LabelPartOf    = "app.kubernetes.io/part-of"    // the compose project
	LabelManagedBy = "app.kubernetes.io/managed-by" // devstack
	LabelProject   = "com.docker.compose.project"
	LabelService   = "com.docker.compose.service"
	ManagedBy      = "devstack"
	// AnnotationHash is the hash of what devstack applied: an object whose
	// hash is unchanged is not applied again.
	AnnotationHash = "devstack.dev/applied-hash"
	// AnnotationImageID is the ID of a built image on a pod template: a
	// rebuilt image under the same name changes the template, so its
	// pods roll.
	AnnotationImageID = "devstack.dev/image-id"
	// networkLabel + NETWORK marks the pods on a compose network.
	networkLabel = "network.devstack.dev/"
)

var notDNS = regexp.MustCompile(`[^a-z0-9-]+`)

// dnsName makes s a DNS-1123 label (lower case, '-' for the rest, at most
// 63 characters).
func dnsName(s string) string {
	n := strings.Trim(notDNS.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if len(n) > 63 {
		n = strings.TrimRight(n[:54], "-") + "-" + hash([]byte(s))[:8]
	}
	if n == "" {
		n = "x-" + hash([]byte(s))[:8]
	}
	return n
}

// nameServices gives each service its object name and refuses two
// services that would share one.
func (m *mapper) nameServices() error {
	owner := map[string]string{}
	for _, name := range sortedKeys(m.p.Services) {
		n := dnsName(name)
		if other, ok := owner[n]; ok {
			return fmt.Errorf("%w: services %s and %s both become %s (Kubernetes names are lower case letters, digits and '-')", wire.ErrInvalid, other, name, n)
		}
		owner[n] = name
		m.names[name] = n
		if n != name {
			m.note(name, "name", "the service's objects are named %s (a Kubernetes name): other services reach it as %s, not %s", n, n, name)
		}
	}
	return nil
}

// projectLabels are the labels of the project's shared objects.
func (m *mapper) projectLabels() map[string]string {
	return map[string]string{LabelPartOf: labelValue(m.p.Name), LabelManagedBy: ManagedBy, LabelProject: labelValue(m.p.Name)}
}

// serviceLabels are the labels of a service's objects and pods.
func (m *mapper) serviceLabels(service string) map[string]string {
	l := m.selector(service)
	l[LabelName] = labelValue(service)
	l[LabelPartOf] = labelValue(m.p.Name)
	l[LabelManagedBy] = ManagedBy
	return l
}

// selector selects a service's pods.
func (m *mapper) selector(service string) map[string]string {
	return map[string]string{
		LabelInstance: labelValue(m.p.Name + "-" + m.names[service]),
		LabelProject:  labelValue(m.p.Name),
		LabelService:  labelValue(service),
	}
}

// labelValue makes s a valid label value.
func labelValue(s string) string {
	if len(validation.IsValidLabelValue(s)) == 0 {
		return s
	}
	return dnsName(s)
}

// hash is the hex SHA-256 of b.
func hash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// contentName is name-HASH8: a ConfigMap or Secret named by its content,
// so that a change makes a new object and rolls the pods that mount it.
func contentName(name string, data map[string][]byte) string {
	h := sha256.New()
	for _, k := range sortedKeys(data) {
		fmt.Fprintf(h, "%s\x00%d\x00", k, len(data[k]))
		h.Write(data[k])
	}
	base := dnsName(name)
	if len(base) > 53 {
		base = strings.TrimRight(base[:53], "-")
	}
	return base + "-" + hex.EncodeToString(h.Sum(nil))[:8]
}
