package convert

import (
	"fmt"

	"github.com/compose-spec/compose-go/v2/types"
)

// CheckSpecs converts every service once, with stand-ins for the
// containers its references resolve to, so that a value the engine would
// refuse stops `up` with one message naming the service and key before
// anything is created. t gives the API version and the host file reader;
// its Refs are replaced by the stand-ins. Pure.
func CheckSpecs(p *types.Project, t Target) error {
	for _, name := range p.ServiceNames() {
		s := p.Services[name]
		t.Refs = map[string][]Ref{}
		for _, ref := range ServiceRefs(s) {
			rs := p.Services[ref]
			rs.Name = ref
			t.Refs[ref] = []Ref{{ID: "pending-" + ref, Name: ContainerName(p.Name, rs, 1), Number: 1}}
		}
		if _, err := ContainerSpec(p, s, 1, "", "", t); err != nil {
			return err
		}
	}
	return nil
}

// checkConflicts refuses the combinations the engine refuses at create
// time (moby's runconfig checks), naming the service and both keys, so
// that nothing is created. Pure.
func checkConflicts(s types.ServiceConfig, spec Spec) error {
	cfg, host := spec.Config, spec.Host
	bad := func(a, b string) error {
		return fmt.Errorf("%w: service %s: %s cannot be combined with %s", ErrInvalidConfig, s.Name, a, b)
	}
	shared := host.NetworkMode.IsContainer()
	switch {
	case host.UTSMode.IsHost() && cfg.Hostname != "":
		return bad("hostname", "uts: host")
	case shared && cfg.Hostname != "":
		return bad("hostname", "network_mode: "+s.NetworkMode)
	case shared && len(s.Links) > 0:
		return bad("links", "network_mode: "+s.NetworkMode)
	case shared && len(host.DNS) > 0:
		return bad("dns", "network_mode: "+s.NetworkMode)
	case shared && len(host.ExtraHosts) > 0:
		return bad("extra_hosts", "network_mode: "+s.NetworkMode)
	case shared && len(s.Ports) > 0:
		return bad("ports", "network_mode: "+s.NetworkMode)
	case shared && len(s.Expose) > 0:
		return bad("expose", "network_mode: "+s.NetworkMode)
	case (shared || host.NetworkMode.IsHost()) && s.MacAddress != "":
		return bad("mac_address", "network_mode: "+s.NetworkMode)
	}
	return nil
}
