package plan

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
)

// ParseScale reads scale's SERVICE=N arguments against the project's
// services; any bad argument refuses them all. Pure.
func ParseScale(args []string, services []string) (map[string]int, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("%w: name at least one SERVICE=N", ErrBadScale)
	}
	out := map[string]int{}
	for _, a := range args {
		name, num, ok := strings.Cut(a, "=")
		if !ok || name == "" {
			return nil, fmt.Errorf("%w: %q is not SERVICE=N", ErrBadScale, a)
		}
		n, err := strconv.Atoi(num)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%w: %q: want SERVICE=NUMBER, a whole number, 0 or more", ErrBadScale, a)
		}
		if !slices.Contains(services, name) {
			return nil, fmt.Errorf("%w: %q: no service %s (services: %s)", ErrBadScale, a, name, strings.Join(services, ", "))
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("%w: service %s is named twice", ErrBadScale, name)
		}
		out[name] = n
	}
	return out, nil
}

// ApplyScale sets each service's replicas in p; a service with a fixed
// container_name cannot run more than one. Nothing is changed on error. Pure.
func ApplyScale(p *types.Project, scale map[string]int) error {
	for _, name := range sortedKeysInt(scale) {
		if s := p.Services[name]; s.ContainerName != "" && scale[name] > 1 {
			return fmt.Errorf("%w: service %s has container_name %s, so it runs one container at most", ErrBadScale, name, s.ContainerName)
		}
	}
	for name, n := range scale {
		s := p.Services[name]
		s.SetScale(n)
		p.Services[name] = s
	}
	return nil
}

func sortedKeysInt(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
