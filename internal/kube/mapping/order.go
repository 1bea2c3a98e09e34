package mapping

import (
	"fmt"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/kube/wire"
)

// levels groups the services by depends_on: each level's services depend
// only on services of earlier levels; each level is sorted by name. A
// dependency on a service that is not in the project is skipped unless
// it is required.
func levels(p *types.Project) ([][]string, error) {
	placed := map[string]bool{}
	var out [][]string
	for len(placed) < len(p.Services) {
		var level []string
		for _, name := range sortedKeys(p.Services) {
			if placed[name] {
				continue
			}
			ready, err := depsPlaced(p, placed, name)
			if err != nil {
				return nil, err
			}
			if ready {
				level = append(level, name)
			}
		}
		if len(level) == 0 {
			var left []string
			for _, name := range sortedKeys(p.Services) {
				if !placed[name] {
					left = append(left, name)
				}
			}
			return nil, fmt.Errorf("%w: depends_on cycle between %s", wire.ErrInvalid, strings.Join(left, ", "))
		}
		for _, name := range level {
			placed[name] = true
		}
		out = append(out, level)
	}
	return out, nil
}

func depsPlaced(p *types.Project, placed map[string]bool, name string) (bool, error) {
	for dep, d := range p.Services[name].DependsOn {
		if _, ok := p.Services[dep]; !ok {
			if d.Required {
				return false, fmt.Errorf("%w: service %s depends on %s, which is not in the project", wire.ErrInvalid, name, dep)
			}
			continue
		}
		if !placed[dep] {
			return false, nil
		}
	}
	return true, nil
}
