package plan

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

func TestParseScale(t *testing.T) {
	services := []string{"web", "db"}
	for _, tc := range []struct {
		args []string
		want map[string]int
		err  string
	}{
		{[]string{"web=3"}, map[string]int{"web": 3}, ""},
		{[]string{"web=0", "db=2"}, map[string]int{"web": 0, "db": 2}, ""},
		{nil, nil, "at least one SERVICE=N"},
		{[]string{"web"}, nil, `"web" is not SERVICE=N`},
		{[]string{"=3"}, nil, `"=3" is not SERVICE=N`},
		{[]string{"web=-1"}, nil, "SERVICE=NUMBER"},
		{[]string{"web=two"}, nil, "SERVICE=NUMBER"},
		{[]string{"web=2", "cache=1"}, nil, "no service cache (services: web, db)"},
		{[]string{"web=2", "web=3"}, nil, "named twice"},
	} {
		got, err := ParseScale(tc.args, services)
		if tc.err != "" {
			if !errors.Is(err, ErrBadScale) || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseScale(%q) error = %v, want %q", tc.args, err, tc.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseScale(%q) = %v, %v; want %v", tc.args, got, err, tc.want)
		}
	}
}

func TestApplyScale(t *testing.T) {
	named := types.ServiceConfig{Name: "db"}
	named.ContainerName = "the-db"
	p := &types.Project{Services: types.Services{"web": {Name: "web"}, "db": named}}
	if err := ApplyScale(p, map[string]int{"web": 3, "db": 2}); !errors.Is(err, ErrBadScale) || !strings.Contains(err.Error(), "container_name the-db") {
		t.Fatalf("ApplyScale(db=2) = %v, want ErrBadScale naming container_name", err)
	}
	scaleOf := func(name string) int { s := p.Services[name]; return s.GetScale() }
	if got := scaleOf("web"); got != 1 {
		t.Errorf("after a refused scale web runs %d, want 1 (nothing changed)", got)
	}
	if err := ApplyScale(p, map[string]int{"web": 3, "db": 1}); err != nil {
		t.Fatal(err)
	}
	if web, db := scaleOf("web"), scaleOf("db"); web != 3 || db != 1 {
		t.Errorf("scales = %d, %d; want 3, 1", web, db)
	}
}
