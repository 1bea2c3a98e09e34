package mapping

import (
	"encoding/json"
	"fmt"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/devstack/devstack/internal/kube/wire"
)

// Manifests renders the objects as YAML, one manifest each, in apply
// order; File is NNN-KIND-NAME.yaml, so that kubectl apply -f DIR, which
// reads a directory in name order, applies them in that order too.
func Manifests(objs []Object) ([]wire.Manifest, error) {
	out := make([]wire.Manifest, 0, len(objs))
	for i, o := range objs {
		b, err := YAML(o)
		if err != nil {
			return nil, err
		}
		kind := o.GetObjectKind().GroupVersionKind().Kind
		out = append(out, wire.Manifest{
			File: fmt.Sprintf("%03d-%s-%s.yaml", i+1, strings.ToLower(kind), o.GetName()),
			Kind: kind, Name: o.GetName(), YAML: string(b),
		})
	}
	return out, nil
}

// YAML is the object as kubectl would read it: without the empty status
// and creation time the API types always carry.
func YAML(o Object) ([]byte, error) {
	b, err := Clean(o)
	if err != nil {
		return nil, err
	}
	return yaml.JSONToYAML(b)
}

// Clean is the object's JSON without status and metadata.creationTimestamp:
// what devstack applies.
func Clean(o Object) ([]byte, error) {
	b, err := json.Marshal(o)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	delete(m, "status")
	stripNullTimestamps(m)
	return json.Marshal(m)
}

// stripNullTimestamps removes "creationTimestamp": null wherever a
// metadata (the object's, a pod template's) has it.
func stripNullTimestamps(v any) {
	switch t := v.(type) {
	case map[string]any:
		if ts, ok := t["creationTimestamp"]; ok && ts == nil {
			delete(t, "creationTimestamp")
		}
		for _, c := range t {
			stripNullTimestamps(c)
		}
	case []any:
		for _, c := range t {
			stripNullTimestamps(c)
		}
	}
}
