package plan

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/devstack/devstack/internal/convert"
)

// Op is one kind of step in a plan.
type Op int

// The steps a plan is made of, in the order Apply runs their kinds.
const (
	CreateNetwork Op = iota
	// RecreateNetwork removes and creates again a network of the project
	// whose config changed, once the containers on it are stopped.
	RecreateNetwork
	CreateVolume
	RemoveContainer
	CreateContainer
	RecreateContainer
	StartContainer
	KeepContainer
	// RestartContainer stops a running container so that it starts again
	// after its dependencies: a depends_on entry with restart: true names
	// a dependency the plan creates or recreates.
	RestartContainer
)

var opNames = [...]string{"CreateNetwork", "RecreateNetwork", "CreateVolume", "RemoveContainer", "CreateContainer", "RecreateContainer", "StartContainer", "Keep", "Restart"}

func (o Op) String() string { return opNames[o] }

// Action is one step of a plan.
type Action struct {
	Op      Op
	Service string     // container actions
	Number  int        // container actions
	Name    string     // resource or container name
	Current *Container // the existing container, if any
	Reason  string
}

func (a Action) String() string {
	kind := "container"
	switch a.Op {
	case CreateNetwork, RecreateNetwork:
		kind = "network"
	case CreateVolume:
		kind = "volume"
	}
	s := fmt.Sprintf("%s:%s %s", kind, a.Name, a.Op)
	if a.Reason != "" {
		s += ", " + a.Reason
	}
	return s
}

// Plan is what Apply will do, computed without touching the engine.
type Plan struct {
	Actions  []Action
	Orphans  []Container // containers of services the project no longer has, left in place
	Warnings []string    // what the plan leaves as it is though it differs (a volume's config)
}

// Unchanged says the plan leaves every container as it is (a no-op up).
func (p Plan) Unchanged() bool {
	for _, a := range p.Actions {
		if a.Op != KeepContainer {
			return false
		}
	}
	return true
}

// Kept lists the containers the plan leaves as they are.
func (p Plan) Kept() []Container {
	var out []Container
	for _, a := range p.Actions {
		if a.Op == KeepContainer && a.Current != nil {
			out = append(out, *a.Current)
		}
	}
	return out
}

func (p Plan) String() string {
	var b strings.Builder
	for _, a := range p.Actions {
		b.WriteString(a.String())
		b.WriteByte('\n')
	}
	for _, o := range p.Orphans {
		fmt.Fprintf(&b, "orphan:%s (service %s)\n", o.Name, o.Service)
	}
	return b.String()
}

// Desired is the state the project asks for.
type Desired struct {
	Project  *types.Project            // the selected services
	Known    []string                  // every service name of the whole project (for orphan detection)
	ImageIDs map[string]string         // service -> ID of the image it should run
	Files    map[string][]convert.File // service -> configs and secrets copied in
}

// PlanOptions mirror `up` flags.
type PlanOptions struct {
	ForceRecreate bool
	Recreate      []string // services to recreate even if unchanged (the dashboard's recreate)
	NoRecreate    bool
	RemoveOrphans bool
}

// CheckResources refuses, before anything is pulled or created, the
// networks and volumes that MakePlan would refuse. It is pure.
func CheckResources(d Desired, o *Observed, opts PlanOptions) error {
	var p Plan
	if _, err := networkActions(d.Project, o, opts.NoRecreate, &p); err != nil {
		return err
	}
	_, err := volumeActions(d.Project, o, &p)
	return err
}

// MakePlan compares desired and observed state. It is pure.
func MakePlan(d Desired, o *Observed, opts PlanOptions) (Plan, error) {
	var p Plan
	nets, err := networkActions(d.Project, o, opts.NoRecreate, &p)
	if err != nil {
		return p, err
	}
	vols, err := volumeActions(d.Project, o, &p)
	if err != nil {
		return p, err
	}
	p.Actions = append(append(p.Actions, nets...), vols...)

	byService := map[string][]Container{}
	for _, c := range o.Containers {
		byService[c.Service] = append(byService[c.Service], c)
	}
	known := map[string]bool{}
	for _, n := range d.Known {
		known[n] = true
	}
	for _, c := range o.Containers {
		if known[c.Service] {
			continue
		}
		if opts.RemoveOrphans {
			p.Actions = append(p.Actions, Action{Op: RemoveContainer, Service: c.Service, Number: c.Number, Name: c.Name, Current: ptr(c), Reason: "orphan"})
		} else {
			p.Orphans = append(p.Orphans, c)
		}
	}
	for _, name := range d.Project.ServiceNames() {
		s := d.Project.Services[name]
		hash := convert.ConfigHash(convert.ResolvedService(s, Refs(byService)), d.Files[name])
		p.Actions = append(p.Actions, ServiceActions(d.Project.Name, s, byService[name], d.ImageIDs[name], hash, opts)...)
	}
	recreateOnNetworks(d.Project, nets, p.Actions)
	recreateReferrers(d.Project, p.Actions, opts)
	restartDependents(d.Project, p.Actions)
	return p, nil
}

// restartDependents turns Keep into Restart for the containers of a
// service whose depends_on has restart: true for a service that gets a new
// container, as compose does; a restarted service counts as updated for
// its own dependents.
func restartDependents(p *types.Project, actions []Action) {
	updated := map[string]bool{}
	for _, a := range actions {
		if a.Op == CreateContainer || a.Op == RecreateContainer {
			updated[a.Service] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for i, a := range actions {
			if a.Op != KeepContainer {
				continue
			}
			for dep, d := range p.Services[a.Service].DependsOn {
				if d.Restart && updated[dep] {
					actions[i].Op, actions[i].Reason = RestartContainer, "dependency "+dep+" updated"
					updated[a.Service], changed = true, true
					break
				}
			}
		}
	}
}

// ServiceActions plans one service's containers against the ones it has
// (have): keep, start, recreate or create each replica, remove the extra.
func ServiceActions(project string, s types.ServiceConfig, have []Container, imageID, hash string, opts PlanOptions) []Action {
	var out []Action
	want := s.GetScale()
	byNumber := map[int]Container{}
	for _, c := range byName(project, s, have) {
		if prev, dup := byNumber[c.Number]; dup || c.Number < 1 || c.Number > want {
			reason := "scaled down"
			if dup && prev.Name == convert.ContainerName(project, s, c.Number) && IsAsideName(c.Name, prev.Name) {
				reason = "left aside by an interrupted recreate"
			}
			out = append(out, Action{Op: RemoveContainer, Service: s.Name, Number: c.Number, Name: c.Name, Current: ptr(c), Reason: reason})
			continue
		}
		byNumber[c.Number] = c
	}
	for n := 1; n <= want; n++ {
		c, ok := byNumber[n]
		if !ok {
			out = append(out, Action{Op: CreateContainer, Service: s.Name, Number: n, Name: convert.ContainerName(project, s, n), Reason: "not found"})
			continue
		}
		a := Action{Service: s.Name, Number: n, Name: c.Name, Current: ptr(c)}
		reason := recreateReason(c, hash, imageID, opts)
		if IsAsideName(c.Name, convert.ContainerName(project, s, n)) {
			// Renamed aside by a recreate that was interrupted (SIGKILL)
			// before its replacement existed: replaced now, taking over
			// its anonymous volumes, under the name it should have.
			a.Name = convert.ContainerName(project, s, n)
			if reason == "" {
				reason = "renamed aside by an interrupted recreate"
			}
		}
		switch {
		case reason != "":
			a.Op, a.Reason = RecreateContainer, reason
		case !c.Running():
			a.Op, a.Reason = StartContainer, c.State
		default:
			a.Op = KeepContainer
		}
		out = append(out, a)
	}
	return out
}

// byName orders a service's containers so that, of two with the same
// number, the one with the expected name comes first and is kept: the
// other was renamed aside by a recreate that was interrupted before it
// removed it.
func byName(project string, s types.ServiceConfig, have []Container) []Container {
	out := slices.Clone(have)
	slices.SortStableFunc(out, func(a, b Container) int {
		aok, bok := a.Name == convert.ContainerName(project, s, a.Number), b.Name == convert.ContainerName(project, s, b.Number)
		switch {
		case aok == bok:
			return 0
		case aok:
			return -1
		}
		return 1
	})
	return out
}

// IsAsideName tells whether name is the one recreate gives a container it
// moves out of the way of its replacement: "<12 hex of its ID>_<expected>".
func IsAsideName(name, expected string) bool {
	id, rest, ok := strings.Cut(name, "_")
	return ok && rest == expected && len(id) == 12 && strings.Trim(id, "0123456789abcdef") == ""
}

func recreateReason(c Container, hash, imageID string, opts PlanOptions) string {
	switch {
	case opts.NoRecreate:
		return ""
	case opts.ForceRecreate || slices.Contains(opts.Recreate, c.Service):
		return "forced"
	case c.Hash != hash:
		return "config hash changed"
	case imageID != "" && c.ImageID != imageID:
		return "image changed"
	}
	return ""
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func ptr[T any](v T) *T { return &v }
