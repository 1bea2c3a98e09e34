package stack

import (
	"errors"
	"testing"
)

func TestLevels(t *testing.T) {
	for _, c := range []struct {
		name string
		deps map[string]map[string]Dependency
		want [][]string
		err  error
	}{
		{"independent, by name", map[string]map[string]Dependency{"b": nil, "a": nil}, [][]string{{"a", "b"}}, nil},
		{"chain", map[string]map[string]Dependency{
			"web": {"api": {Required: true}}, "api": {"db": {Required: true}, "cache": {Required: true}}, "db": nil, "cache": nil,
		}, [][]string{{"cache", "db"}, {"api"}, {"web"}}, nil},
		{"optional missing dependency skipped", map[string]map[string]Dependency{"web": {"gone": {Required: false}}}, [][]string{{"web"}}, nil},
		{"required missing dependency", map[string]map[string]Dependency{"web": {"gone": {Required: true}}}, nil, ErrInvalid},
		{"cycle", map[string]map[string]Dependency{"a": {"b": {}}, "b": {"a": {}}, "c": nil}, nil, ErrCycle},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := &Stack{}
			for name, deps := range c.deps {
				st.Services = append(st.Services, Service{Name: name, DependsOn: deps})
			}
			levels, err := Levels(st)
			if !errors.Is(err, c.err) {
				t.Fatalf("err %v, want %v", err, c.err)
			}
			var got [][]string
			for _, l := range levels {
				var names []string
				for _, s := range l {
					names = append(names, s.Name)
				}
				got = append(got, names)
			}
			check(t, c.name, got, c.want)
		})
	}
}

func TestOrderFromCompose(t *testing.T) {
	st, _ := mustConvert(t, `
services:
  web: {image: w, depends_on: {api: {condition: service_healthy}}}
  api: {image: a, depends_on: [db]}
  db: {image: d}
  adminer: {image: x}
`)
	order, err := Order(st)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range order {
		names = append(names, s.Name)
	}
	check(t, "order", names, []string{"adminer", "db", "api", "web"})
	check(t, "dependency", service(t, st, "web").DependsOn, map[string]Dependency{"api": {Condition: "service_healthy", Required: true}})
}
