package deploy

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/containerd/errdefs"

	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/stack"
)

// fakeKind is an objectKind on a map of the swarm's objects (name -> ID).
func fakeKind(swarmHas map[string]string, observed []string, want ...wantObject) (*objectKind, *[]string) {
	var removed []string
	k := &objectKind{word: "secret", kind: progress.KindSecret, want: want,
		named: func(_ context.Context, name string) ([]stack.ObservedObject, error) {
			var out []stack.ObservedObject
			for n, id := range swarmHas {
				if strings.Contains(n, name) {
					out = append(out, stack.ObservedObject{ID: id, Name: n})
				}
			}
			return out, nil
		},
		remove: func(_ context.Context, id string) error {
			switch id {
			case "gone":
				return errdefs.ErrNotFound
			case "busy":
				return errors.New("in use")
			}
			removed = append(removed, id)
			return nil
		}}
	for _, n := range observed {
		k.observed = append(k.observed, stack.ObservedObject{ID: swarmHas[n], Name: n})
	}
	return k, &removed
}

func created(name, id string, err error) wantObject {
	return wantObject{name: name, key: strings.SplitN(name, "-", 2)[0],
		create: func(context.Context) (string, error) { return id, err }}
}

func events(evs []progress.Event) string {
	var s []string
	for _, e := range evs {
		s = append(s, fmt.Sprintf("%s %s %s%s", e.Kind, e.Name, e.Status, e.Detail))
	}
	return strings.Join(s, "; ")
}

func TestObjectKindEnsure(t *testing.T) {
	swarmHas := map[string]string{"p_db-1": "id1", "shared": "id-ext", "shared-other": "id-x"}
	k, _ := fakeKind(swarmHas, []string{"p_db-1"},
		created("p_db-1", "never", nil),                           // observed: kept
		wantObject{name: "shared", key: "shared", external: true}, // external: looked up by exact name
		created("p_api-2", "id2", nil))
	var evs []progress.Event
	u := &undo{}
	ids, err := k.ensure(context.Background(), progressFunc(func(e progress.Event) { evs = append(evs, e) }), u)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"p_db-1": "id1", "shared": "id-ext", "p_api-2": "id2"}
	if fmt.Sprint(ids) != fmt.Sprint(want) {
		t.Errorf("ids %v, want %v", ids, want)
	}
	if got := events(evs); got != "Secret p_api-2 Created" {
		t.Errorf("events %q", got)
	}
	if len(u.steps) != 1 || u.steps[0].what != "secret p_api-2" {
		t.Errorf("undo steps %+v, want the created secret's removal", u.steps)
	}

	k, _ = fakeKind(swarmHas, nil, wantObject{name: "nope", key: "nokey", external: true})
	if _, err := k.ensure(context.Background(), progress.Discard, &undo{}); !errors.Is(err, ErrMissing) ||
		!strings.Contains(err.Error(), "secret nope (secrets.nokey, external)") {
		t.Errorf("missing external: %v", err)
	}
	k, _ = fakeKind(swarmHas, nil, created("p_x-1", "", errors.New("refused")))
	if _, err := k.ensure(context.Background(), progress.Discard, &undo{}); err == nil || err.Error() != "secret p_x-1: refused" {
		t.Errorf("create failing: %v", err)
	}
}

func TestObjectKindRemove(t *testing.T) {
	swarmHas := map[string]string{"p_db-1": "id1", "p_db-0": "id0", "p_old-1": "busy", "p_gone-1": "gone"}
	k, removed := fakeKind(swarmHas, []string{"p_db-1", "p_db-0", "p_old-1"}, created("p_db-1", "", nil))
	var evs []progress.Event
	k.removeStale(context.Background(), progressFunc(func(e progress.Event) { evs = append(evs, e) }))
	if !slices.Equal(*removed, []string{"id0"}) {
		t.Errorf("removed %v, want the stale one", *removed)
	}
	if got := events(evs); got != "Secret p_db-0 Removed; Warning  secret p_old-1 not removed: in use" {
		t.Errorf("events %q", got)
	}

	k, removed = fakeKind(swarmHas, []string{"p_db-1", "p_gone-1", "p_old-1"})
	evs = nil
	errs := k.removeAll(context.Background(), progressFunc(func(e progress.Event) { evs = append(evs, e) }))
	if !slices.Equal(*removed, []string{"id1"}) || len(errs) != 1 || errs[0].Error() != "secret p_old-1: in use" {
		t.Errorf("removed %v, errors %v", *removed, errs)
	}
	if got := events(evs); got != "Secret p_db-1 Removed; Secret p_gone-1 Removed" {
		t.Errorf("events %q", got)
	}
}
