package tui

import (
	"sort"
	"strconv"

	"github.com/devstack/devstack/internal/feed"
	"github.com/devstack/devstack/internal/termsafe"
)

// svcRow is one container in the services table.
type svcRow struct {
	feed.ContainerState
	stats    feed.Stats
	hasStats bool
}

// source is the name its log lines carry (escaped as a name is): the service, with the replica
// number when there are several.
func (r *svcRow) source() string { return sourceName(r.Service, r.Number) }

func sourceName(service string, number int) string {
	service = termsafe.Name(service) // a label of the engine's: anyone's
	if number > 1 {
		return service + "-" + strconv.Itoa(number)
	}
	return service
}

// serviceTable is the project's containers, sorted by service and replica,
// and which one is selected.
type serviceTable struct {
	rows   []*svcRow
	selID  string // the selected container, stable across updates
	selSrc string // and its name, which survives a recreate
}

// replace sets the whole table (after a (re)connect).
func (t *serviceTable) replace(states []feed.ContainerState) {
	old := map[string]*svcRow{}
	for _, r := range t.rows {
		old[r.ID] = r
	}
	t.rows = nil
	for _, st := range states {
		t.update(st) // one row per container, however often it is listed
	}
	for _, r := range t.rows {
		if o := old[r.ID]; o != nil && r.State == "running" {
			r.stats, r.hasStats = o.stats, o.hasStats
		}
	}
}

// update applies one container's new state.
func (t *serviceTable) update(st feed.ContainerState) {
	for i, r := range t.rows {
		if r.ID != st.ID {
			continue
		}
		if st.Removed {
			t.rows = append(t.rows[:i], t.rows[i+1:]...)
			return
		}
		r.ContainerState = st
		if st.State != "running" {
			r.hasStats = false
		}
		return
	}
	if !st.Removed {
		t.rows = append(t.rows, &svcRow{ContainerState: st})
		t.sort()
	}
}

func (t *serviceTable) setStats(s feed.Stats) {
	for _, r := range t.rows {
		if r.ID == s.ContainerID && r.State == "running" {
			r.stats, r.hasStats = s, true
		}
	}
}

func (t *serviceTable) sort() {
	sort.SliceStable(t.rows, func(i, j int) bool {
		if t.rows[i].Service != t.rows[j].Service {
			return t.rows[i].Service < t.rows[j].Service
		}
		return t.rows[i].Number < t.rows[j].Number
	})
}

// selectedIndex is the selected row's index, the first when none is selected.
func (t *serviceTable) selectedIndex() int {
	for i, r := range t.rows {
		if r.ID == t.selID {
			return i
		}
	}
	for i, r := range t.rows {
		if r.source() == t.selSrc {
			return i
		}
	}
	return 0
}

func (t *serviceTable) selected() *svcRow {
	if len(t.rows) == 0 {
		return nil
	}
	return t.rows[t.selectedIndex()]
}

func (t *serviceTable) move(delta int) {
	if len(t.rows) == 0 {
		return
	}
	i := max(0, min(len(t.rows)-1, t.selectedIndex()+delta))
	t.selID, t.selSrc = t.rows[i].ID, t.rows[i].source()
}
