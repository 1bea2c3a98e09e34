package stack

import (
	"fmt"
	"slices"
	"strings"

	"github.com/docker/docker/api/types/swarm"
)

// ObservedService is a service of the stack as the swarm has it, listed
// by the apply side with the namespace label.
type ObservedService struct {
	ID       string
	Name     string // full swarm name, NAMESPACE_SERVICE
	Version  swarm.Version
	Labels   map[string]string // its spec's labels (LabelHash when devstack deployed it)
	Replicas *uint64           // its replicated mode's count; nil for other modes
}

// ObservedObject is a secret or config of the stack on the swarm.
type ObservedObject struct {
	ID   string
	Name string
}

// ActionKind says what Diff decided for one service.
type ActionKind string

// The actions of a Plan.
const (
	Create    ActionKind = "create"
	Update    ActionKind = "update"
	Unchanged ActionKind = "unchanged"
	Prune     ActionKind = "prune" // on the swarm, not in the compose project: removed with --prune
)

// Action is one service's step.
type Action struct {
	Kind     ActionKind
	Service  Service          // the desired service; zero for Prune
	Observed *ObservedService // nil for Create
	Reason   string
}

// Plan is what a deploy does to the services: creates, updates and
// unchanged ones in depends_on order (Levels), then prune candidates by name.
type Plan struct {
	Actions []Action
}

// String is one line per action, for tests and --dry-run:
// "create shop_web (not on the swarm)".
func (p Plan) String() string {
	var b strings.Builder
	for _, a := range p.Actions {
		name := a.Service.Spec.Name
		if a.Kind == Prune {
			name = a.Observed.Name
		}
		fmt.Fprintf(&b, "%s %s", a.Kind, name)
		if a.Reason != "" {
			fmt.Fprintf(&b, " (%s)", a.Reason)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// Diff compares the desired stack with what the swarm has. A service whose
// LabelHash equals its Hash is unchanged unless its replica count was
// changed behind devstack's back (docker service scale); any other
// difference is an update. Pure.
func Diff(desired *Stack, observed []ObservedService) (Plan, error) {
	order, err := Order(desired)
	if err != nil {
		return Plan{}, err
	}
	byName := map[string]*ObservedService{}
	for i := range observed {
		byName[observed[i].Name] = &observed[i]
	}
	var plan Plan
	for _, s := range order {
		o, ok := byName[s.Spec.Name]
		delete(byName, s.Spec.Name)
		if !ok {
			plan.Actions = append(plan.Actions, Action{Kind: Create, Service: s, Reason: "not on the swarm"})
			continue
		}
		kind, reason := compareService(s, o)
		plan.Actions = append(plan.Actions, Action{Kind: kind, Service: s, Observed: o, Reason: reason})
	}
	for _, name := range sortedKeys(byName) {
		plan.Actions = append(plan.Actions, Action{Kind: Prune, Observed: byName[name], Reason: "not in the compose project"})
	}
	return plan, nil
}

func compareService(s Service, o *ObservedService) (ActionKind, string) {
	switch h := o.Labels[LabelHash]; {
	case h == "":
		return Update, "not deployed by devstack"
	case h != s.Hash:
		return Update, "spec changed"
	}
	if want := s.Spec.Mode.Replicated; want != nil && o.Replicas != nil {
		n := uint64(1)
		if want.Replicas != nil {
			n = *want.Replicas
		}
		if *o.Replicas != n {
			return Update, fmt.Sprintf("%d replicas, want %d", *o.Replicas, n)
		}
	}
	return Unchanged, ""
}

// StaleObjects are the stack's secrets or configs on the swarm that the
// desired stack no longer uses: older contents of a content-named object,
// or removed keys. The apply side removes them once no service refers to
// them any more. names are the desired Secret or Config names. Pure.
func StaleObjects(names []string, observed []ObservedObject) []ObservedObject {
	var out []ObservedObject
	for _, o := range observed {
		if !slices.Contains(names, o.Name) {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(a, b ObservedObject) int { return strings.Compare(a.Name, b.Name) })
	return out
}
