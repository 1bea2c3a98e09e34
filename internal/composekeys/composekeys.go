// Package composekeys lists a compose service's keys as the compose file
// spells them (a leaf: compose-go's types only), for the targets that report
// what they do not map.
package composekeys

import (
	"reflect"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
)

// KeyValue is one key of a service as the compose file spells it, with
// its value in compose-go's model.
type KeyValue struct {
	Key   string
	Value reflect.Value
}

// Service lists the service's keys by their YAML names, in the order
// of compose-go's model, with the inlined ContainerSpec and WorkloadSpec
// flattened and the x- extensions left out. What a target does not map
// (swarm, Kubernetes) is reported from it, so that a key a newer
// compose-go adds is reported too.
func Service(s types.ServiceConfig) []KeyValue {
	var out []KeyValue
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			switch {
			case f.Anonymous && strings.Contains(opts, "inline"):
				walk(v.Field(i))
			case name != "" && name != "-" && !strings.HasPrefix(name, "#") && f.IsExported():
				out = append(out, KeyValue{name, v.Field(i)})
			}
		}
	}
	walk(reflect.ValueOf(s))
	return out
}
