package engine

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
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
			return nil, fmt.Errorf("%w: %q: N must be a whole number, 0 or more", ErrBadScale, a)
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
