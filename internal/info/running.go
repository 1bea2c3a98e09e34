package info

import (
	"slices"
	"sort"

	"github.com/compose-spec/compose-go/v2/types"
)

// Running renders the info of the services that have a container
// (withContainer), or of the named ones (only) among them, with the host
// ports their containers publish now (ports: service -> "target/proto" ->
// host port). Services of the project only; sorted by name.
func Running(p *types.Project, withContainer []string, ports map[string]map[string]int, only []string) ([]Service, error) {
	all := map[string]map[string]int{}
	for n, pp := range ports {
		all[n] = pp
	}
	for _, n := range withContainer {
		if _, seen := all[n]; !seen {
			all[n] = map[string]int{} // a service that publishes nothing still has info
		}
	}
	names := make([]string, 0, len(all))
	for n := range all {
		if _, ok := p.Services[n]; ok && (len(only) == 0 || slices.Contains(only, n)) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var out []Service
	for _, n := range names {
		s, err := Render(p.Name, p.Services[n], all[n])
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}
