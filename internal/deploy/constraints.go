package deploy

import (
	"fmt"
	"strings"

	"github.com/docker/docker/api/types/swarm"
)

// placeable returns the hostnames of the nodes, available and ready, that
// satisfy every placement constraint, as swarm matches them: key==value or
// key!=value, values compared case-insensitively; node.id, node.hostname,
// node.role, node.platform.os, node.platform.arch, node.labels.KEY and
// engine.labels.KEY. A constraint it cannot read is left to the engine
// (treated as satisfied). Pure.
func placeable(constraints []string, nodes []swarm.Node) []string {
	var out []string
	for _, n := range nodes {
		if n.Spec.Availability != swarm.NodeAvailabilityActive || n.Status.State != swarm.NodeStateReady {
			continue
		}
		ok := true
		for _, c := range constraints {
			ok = ok && satisfies(c, n)
		}
		if ok {
			out = append(out, n.Description.Hostname)
		}
	}
	return out
}

func satisfies(constraint string, n swarm.Node) bool {
	key, want, eq := "", "", true
	if k, v, found := strings.Cut(constraint, "!="); found {
		key, want, eq = k, v, false
	} else if k, v, found := strings.Cut(constraint, "=="); found {
		key, want = k, v
	} else {
		return true
	}
	key, want = strings.TrimSpace(key), strings.TrimSpace(want)
	have, known := nodeValue(strings.ToLower(key), key, n)
	if !known {
		return true
	}
	return strings.EqualFold(have, want) == eq
}

// nodeValue is the node's value for a constraint key; a label the node
// lacks is "" (so == fails and != holds, as in swarm).
func nodeValue(lower, key string, n swarm.Node) (string, bool) {
	switch lower {
	case "node.id":
		return n.ID, true
	case "node.hostname":
		return n.Description.Hostname, true
	case "node.role":
		return string(n.Spec.Role), true
	case "node.platform.os":
		return n.Description.Platform.OS, true
	case "node.platform.arch":
		return n.Description.Platform.Architecture, true
	}
	if l, ok := strings.CutPrefix(key, "node.labels."); ok {
		return n.Spec.Labels[l], true
	}
	if l, ok := strings.CutPrefix(key, "engine.labels."); ok {
		return n.Description.Engine.Labels[l], true
	}
	return "", false
}

// checkPlacement refuses a service whose constraints no node satisfies,
// before anything is created (swarm would keep its tasks pending).
func checkPlacement(service string, spec swarm.ServiceSpec, nodes []swarm.Node) error {
	p := spec.TaskTemplate.Placement
	if p == nil || len(p.Constraints) == 0 {
		return nil
	}
	if len(placeable(p.Constraints, nodes)) > 0 {
		return nil
	}
	return fmt.Errorf("service %s: %w %s (of %d nodes, none active and ready matches)",
		service, ErrNoNode, strings.Join(p.Constraints, ", "), len(nodes))
}
