// Package mapping turns a compose project into Kubernetes objects: a
// Deployment, StatefulSet, DaemonSet or Job per service, a Service per
// service that listens, ConfigMaps, Secrets, PersistentVolumeClaims and
// NetworkPolicies, and a report (wire.Note) of every compose key it did
// not map, or mapped otherwise than compose means it, and why. It is
// pure: the files the project names (configs, secrets, small
// bind-mounted project files) come in Input.Files, read by the caller.
// Only the devstack-kube helper links it: k8s.io/api is big to start.
package mapping

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/compose-spec/compose-go/v2/types"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/devstack/devstack/internal/kube/wire"
)

// Object is a Kubernetes object the mapping makes.
type Object interface {
	runtime.Object
	metav1.Object
}

// Input is what Map maps.
type Input struct {
	Project *types.Project
	// Files holds the contents of configs, secrets and bind-mounted files
	// by wire.FileKey; Unread says why one is missing.
	Files  map[string][]byte
	Unread map[string]string
	// Images are the built images of services that build (deploy only):
	// see builtImage.
	Images map[string]wire.Image
}

// Result is the mapped project.
type Result struct {
	// Objects in the order they are applied: ConfigMaps, Secrets,
	// PersistentVolumeClaims, NetworkPolicies, Services, then the
	// workloads level by level.
	Objects []Object
	// Levels are the services' workloads by depends_on: a level's
	// services depend only on earlier levels.
	Levels [][]Workload
	// Report is every key not mapped (or mapped with a difference) and why.
	Report []wire.Note
}

// Workload is one service's Deployment, StatefulSet, DaemonSet or Job.
type Workload struct {
	Service string
	Object  Object
	// Healthy says the service has a healthcheck (readiness probe).
	Healthy bool
}

// mapper carries what one Map call shares between its steps.
type mapper struct {
	in     Input
	o      wire.MapOptions
	p      *types.Project
	notes  []wire.Note
	shared []Object            // ConfigMaps, Secrets, PVCs, by name (deduplicated)
	seen   map[string]bool     // kind/name of shared objects
	names  map[string]string   // service -> object name
	nets   map[string][]string // network -> services on it
}

// Map maps the project's services (all of them: narrow the project first).
func Map(in Input, o wire.MapOptions) (Result, error) {
	m := &mapper{in: in, o: o, p: in.Project, seen: map[string]bool{}, names: map[string]string{}, nets: map[string][]string{}}
	if err := m.nameServices(); err != nil {
		return Result{}, err
	}
	m.topLevel()
	var r Result
	byName := map[string]Workload{}
	var services []Object
	for _, name := range sortedKeys(m.p.Services) {
		s := m.p.Services[name]
		m.reportKeys(s)
		w, err := m.workload(s)
		if err != nil {
			return Result{}, err
		}
		byName[name] = w
		if svc := m.service(s); svc != nil {
			services = append(services, svc)
		}
	}
	levels, err := levels(m.p)
	if err != nil {
		return Result{}, err
	}
	for _, level := range levels {
		var ws []Workload
		for _, name := range level {
			ws = append(ws, byName[name])
		}
		r.Levels = append(r.Levels, ws)
	}
	r.Objects = append(r.Objects, m.sortedShared()...)
	r.Objects = append(r.Objects, m.networkPolicies()...)
	r.Objects = append(r.Objects, services...)
	for _, level := range r.Levels {
		for _, w := range level {
			r.Objects = append(r.Objects, w.Object)
		}
	}
	r.Report = m.notes
	return r, nil
}

// note reports key of service (or a top-level key when service is "").
func (m *mapper) note(service, key, format string, a ...any) {
	m.notes = append(m.notes, wire.Note{Service: service, Key: key, Message: fmt.Sprintf(format, a...)})
}

// addShared adds a ConfigMap, Secret or PVC once by kind and name.
func (m *mapper) addShared(obj Object) {
	id := obj.GetObjectKind().GroupVersionKind().Kind + "/" + obj.GetName()
	if m.seen[id] {
		return
	}
	m.seen[id] = true
	m.shared = append(m.shared, obj)
}

var sharedOrder = map[string]int{"ConfigMap": 0, "Secret": 1, "PersistentVolumeClaim": 2}

func (m *mapper) sortedShared() []Object {
	out := slices.Clone(m.shared)
	slices.SortStableFunc(out, func(a, b Object) int {
		ka, kb := a.GetObjectKind().GroupVersionKind().Kind, b.GetObjectKind().GroupVersionKind().Kind
		return cmp.Or(cmp.Compare(sharedOrder[ka], sharedOrder[kb]), cmp.Compare(a.GetName(), b.GetName()))
	})
	return out
}

// meta is an object's metadata: its name, the namespace asked for, and labels.
func (m *mapper) meta(name string, labels map[string]string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: m.o.Namespace, Labels: labels}
}

func sortedKeys[V any](mp map[string]V) []string {
	keys := make([]string, 0, len(mp))
	for k := range mp {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Decode reads the project devstack sent (types.Project as JSON) and
// names its services and objects by their keys, which the JSON leaves out.
func Decode(raw []byte) (*types.Project, error) {
	var p types.Project
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("reading the project devstack sent: %w", err)
	}
	for name, s := range p.Services {
		s.Name = name
		p.Services[name] = s
	}
	return &p, nil
}
