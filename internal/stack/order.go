package stack

import (
	"fmt"
	"slices"
	"strings"
)

// Levels groups the stack's services by depends_on: every service comes
// after all it depends on, the services of one level depend on none of
// each other (the apply side may create them at the same time), and each
// level is sorted by name. A dependency on a service that is not in the
// stack is skipped unless it is required. compose.Load already refuses
// cycles; Levels names one too, as it may be given any Stack.
func Levels(st *Stack) ([][]Service, error) {
	byName := map[string]Service{}
	for _, s := range st.Services {
		byName[s.Name] = s
	}
	placed := map[string]bool{}
	var out [][]Service
	for len(placed) < len(byName) {
		var level []Service
		for _, name := range sortedKeys(byName) {
			ready, err := depsPlaced(byName, placed, byName[name])
			if err != nil {
				return nil, err
			}
			if !placed[name] && ready {
				level = append(level, byName[name])
			}
		}
		if len(level) == 0 {
			return nil, fmt.Errorf("%w between %s", ErrCycle, strings.Join(unplaced(byName, placed), ", "))
		}
		for _, s := range level {
			placed[s.Name] = true
		}
		out = append(out, level)
	}
	return out, nil
}

// Order is Levels flattened: the services in an order that creates what a
// service depends on before it.
func Order(st *Stack) ([]Service, error) {
	levels, err := Levels(st)
	if err != nil {
		return nil, err
	}
	return slices.Concat(levels...), nil
}

func depsPlaced(byName map[string]Service, placed map[string]bool, s Service) (bool, error) {
	for dep, d := range s.DependsOn {
		if _, ok := byName[dep]; !ok {
			if d.Required {
				return false, fmt.Errorf("%w: service %s depends on %s, which is not in the stack", ErrInvalid, s.Name, dep)
			}
			continue
		}
		if !placed[dep] {
			return false, nil
		}
	}
	return true, nil
}

func unplaced(byName map[string]Service, placed map[string]bool) []string {
	var out []string
	for _, name := range sortedKeys(byName) {
		if !placed[name] {
			out = append(out, name)
		}
	}
	return out
}
