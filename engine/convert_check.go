package engine

import (
	"github.com/compose-spec/compose-go/v2/types"
)

// CheckSpecs converts every service once, with stand-ins for the
// containers its references resolve to, so that a value the engine would
// refuse stops `up` with one message naming the service and key before
// anything is created. Pure.
func CheckSpecs(p *types.Project, apiVersion string) error {
	for _, name := range sortedServices(p) {
		s := p.Services[name]
		t := Target{APIVersion: apiVersion, Refs: map[string][]Container{}}
		for _, ref := range ServiceRefs(s) {
			rs := p.Services[ref]
			rs.Name = ref
			t.Refs[ref] = []Container{{ID: "pending-" + ref, Name: ContainerName(p.Name, rs, 1), Service: ref, Number: 1}}
		}
		if _, err := ContainerSpec(p, s, 1, "", "", t); err != nil {
			return err
		}
	}
	return nil
}
