package router

import "sort"

// Table is the router's view of every project's state: names to routes.
type Table struct {
	hosts  map[string]entry
	labels map[string]*State
}

type entry struct {
	route *Route
	state *State
}

// NewTable indexes states. A name two projects claim (devstack refuses
// that, so only a hand-made file does) goes to the first by project name.
func NewTable(states []State) *Table {
	sort.Slice(states, func(i, j int) bool { return states[i].Project < states[j].Project })
	t := &Table{hosts: map[string]entry{}, labels: map[string]*State{}}
	for i := range states {
		st := &states[i]
		if _, ok := t.labels[st.Label]; !ok {
			t.labels[st.Label] = st
		}
		for j := range st.Routes {
			r := &st.Routes[j]
			if _, ok := t.hosts[r.Host]; !ok {
				t.hosts[r.Host] = entry{r, st}
			}
		}
	}
	return t
}

// Lookup finds host's route (host already normalised) and its project; a
// name under a known project's label that is no route gives the project
// and no route, so the answer can name it.
func (t *Table) Lookup(host string) (*Route, *State) {
	if e, ok := t.hosts[host]; ok {
		return e.route, e.state
	}
	if st, ok := t.labels[ProjectOf(host)]; ok {
		return nil, st
	}
	return nil, nil
}

// Len is the number of names.
func (t *Table) Len() int { return len(t.hosts) }
