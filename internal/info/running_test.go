package info

import (
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

// Every service with a container has info, one that publishes nothing
// too; containers of services not in the project are left out.
func TestRunning(t *testing.T) {
	p := &types.Project{Name: "demo", Services: types.Services{"web": {Name: "web"}, "db": {Name: "db"}, "idle": {Name: "idle"}}}
	ports := map[string]map[string]int{"web": {"80/tcp": 8080}, "gone": {"80/tcp": 8081}}
	for _, tt := range []struct {
		only []string
		want string
	}{
		{nil, "db web"},
		{[]string{"web", "idle"}, "web"},
	} {
		got, err := Running(p, []string{"web", "db", "db", "gone"}, ports, tt.only)
		if err != nil {
			t.Fatal(err)
		}
		var names string
		for i, s := range got {
			if i > 0 {
				names += " "
			}
			names += s.Name
		}
		if names != tt.want {
			t.Errorf("only %v: %q, want %q", tt.only, names, tt.want)
		}
	}
}
