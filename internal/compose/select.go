package compose

import (
	"fmt"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
)

// Select narrows p to the named services and everything they depend on.
// No names means every service. An unknown name is an error that lists
// the services the project has.
func Select(p *types.Project, names []string) (*types.Project, error) {
	if len(names) == 0 {
		return p, nil
	}
	var unknown []string
	for _, n := range names {
		if _, ok := p.Services[n]; !ok {
			unknown = append(unknown, n)
		}
	}
	if len(unknown) > 0 {
		return nil, UnknownServiceError(p, unknown)
	}
	return p.WithSelectedServices(names, types.IncludeDependencies)
}

// UnknownServiceError names the unknown services and lists the known ones.
func UnknownServiceError(p *types.Project, unknown []string) error {
	known := p.ServiceNames()
	slices.Sort(known)
	return fmt.Errorf("%w: %s (the project has: %s)", ErrUnknownService,
		strings.Join(unknown, ", "), strings.Join(known, ", "))
}
