package apply

import (
	"testing"

	"github.com/devstack/devstack/internal/plan"
)

func TestLeftOver(t *testing.T) {
	for _, tt := range []struct {
		cs   []plan.Container
		nets []string
		want string
	}{
		{nil, nil, "nothing of the project is on the engine; `devstack up` starts from scratch"},
		{nil, []string{"p_default"}, "left on the engine: network p_default; `devstack up` picks up from there, `devstack down` removes it"},
		{[]plan.Container{{Name: "p-web-2", State: "created"}, {Name: "p-db-1", State: "running"}, {Name: "p-web-1", State: "created"}}, []string{"p_b", "p_a"},
			"left on the engine: created: p-web-1, p-web-2; running: p-db-1; network p_a, p_b; `devstack up` picks up from there, `devstack down` removes it"},
	} {
		if got := LeftOver(tt.cs, tt.nets); got != tt.want {
			t.Errorf("LeftOver(%v, %v) =\n%s\nwant\n%s", tt.cs, tt.nets, got, tt.want)
		}
	}
}
