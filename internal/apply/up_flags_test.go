package apply

import (
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

func flagsProject() *types.Project {
	off := false
	quiet := types.ServiceConfig{Name: "quiet", Attach: &off}
	return &types.Project{Services: types.Services{"web": {Name: "web"}, "db": {Name: "db"}, "quiet": quiet}}
}

func TestApplyScaleFlags(t *testing.T) {
	p := flagsProject()
	if err := ApplyScaleFlags(p, []string{"web=3", "db=0"}); err != nil {
		t.Fatal(err)
	}
	web, db := p.Services["web"], p.Services["db"]
	if got := web.GetScale(); got != 3 {
		t.Errorf("web scale %d, want 3", got)
	}
	if got := db.GetScale(); got != 0 {
		t.Errorf("db scale %d, want 0", got)
	}
	for _, bad := range []string{"web", "web=x", "web=-1", "nosuch=2"} {
		if err := ApplyScaleFlags(flagsProject(), []string{bad}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestSelectAttached(t *testing.T) {
	for _, tt := range []struct {
		attach, noAttach []string
		want             string
	}{
		{nil, nil, "db web"},
		{nil, []string{"web"}, "db"},
		{[]string{"quiet", "web"}, nil, "quiet web"},
		{[]string{"quiet", "web"}, []string{"web"}, "quiet"},
	} {
		got, err := SelectAttached(flagsProject(), tt.attach, tt.noAttach)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("attach %v no-attach %v: %v, want %s", tt.attach, tt.noAttach, got, tt.want)
		}
	}
	if _, err := SelectAttached(flagsProject(), []string{"nosuch"}, nil); err == nil {
		t.Error("unknown service: no error")
	}
}
