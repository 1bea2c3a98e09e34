package deploy

import (
	"context"
	"slices"
	"testing"

	"github.com/devstack/devstack/internal/progress"
	"github.com/devstack/devstack/internal/stack"
)

func TestDependedOn(t *testing.T) {
	level := []stack.Service{{Name: "cache"}, {Name: "db"}, {Name: "queue"}}
	items := []waitItem{{name: "p_cache"}, {name: "p_db"}, {name: "p_queue"}}
	later := [][]stack.Service{
		{{Name: "api", DependsOn: map[string]stack.Dependency{"db": {Condition: "service_healthy"}}}},
		{{Name: "web", DependsOn: map[string]stack.Dependency{"api": {}, "cache": {}}}},
	}
	var got []string
	for _, it := range dependedOn(items, level, later) {
		got = append(got, it.name)
	}
	if want := []string{"p_cache", "p_db"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestUndoRunsInReverse(t *testing.T) {
	var ran []string
	u := &undo{}
	for _, what := range []string{"network n", "secret s", "service a"} {
		u.add(func(context.Context) error { ran = append(ran, what); return nil }, what)
	}
	var events []progress.Event
	u.run(context.Background(), progressFunc(func(e progress.Event) { events = append(events, e) }))
	if want := []string{"service a", "secret s", "network n"}; !slices.Equal(ran, want) {
		t.Errorf("ran %v, want %v", ran, want)
	}
	if len(events) != 1 || events[0].Kind != progress.KindWarning {
		t.Errorf("events %v, want one warning", events)
	}
}

type progressFunc func(progress.Event)

func (f progressFunc) Event(e progress.Event) { f(e) }
