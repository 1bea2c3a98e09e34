package apply

import (
	"errors"
	"reflect"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

func TestRmiImages(t *testing.T) {
	svc := func(name, image string, build bool) types.ServiceConfig {
		s := types.ServiceConfig{Name: name}
		s.Image = image
		if build {
			s.Build = &types.BuildConfig{Context: name}
		}
		return s
	}
	p := &types.Project{Name: "shop", Services: types.Services{
		"app":   svc("app", "", true),
		"api":   svc("api", "127.0.0.1:5000/api:1", true),
		"db":    svc("db", "postgres:16", false),
		"cache": svc("cache", "postgres:16", false),
	}}
	for mode, want := range map[string][]string{
		"local": {"shop-app"},
		"all":   {"127.0.0.1:5000/api:1", "postgres:16", "shop-app"},
	} {
		if got, err := RmiImages(p, mode); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("RmiImages(%s) = %v, %v; want %v", mode, got, err, want)
		}
	}
	if _, err := RmiImages(p, "some"); err == nil {
		t.Error("RmiImages(some): no error")
	}
}

func TestCheckPushRef(t *testing.T) {
	for ref, ok := range map[string]bool{
		"127.0.0.1:5000/app:1": true, "registry.example.com/team/app": true, "user/app:1": true,
		"app": false, "app:1": false, "shop-app": false, "Bad Name": false,
	} {
		err := CheckPushRef(ref)
		if (err == nil) != ok {
			t.Errorf("CheckPushRef(%q) = %v", ref, err)
		}
		if !ok && ref != "Bad Name" && !errors.Is(err, ErrNoRegistry) {
			t.Errorf("CheckPushRef(%q) = %v, want ErrNoRegistry", ref, err)
		}
	}
}

func TestSplitRef(t *testing.T) {
	for ref, want := range map[string][2]string{
		"nginx":                 {"nginx", "latest"},
		"nginx:1.27":            {"nginx", "1.27"},
		"127.0.0.1:5000/app":    {"127.0.0.1:5000/app", "latest"},
		"127.0.0.1:5000/app:2":  {"127.0.0.1:5000/app", "2"},
		"nginx@sha256:abcdef01": {"nginx", "<none>"},
	} {
		if repo, tag := SplitRef(ref); repo != want[0] || tag != want[1] {
			t.Errorf("SplitRef(%q) = %q, %q; want %v", ref, repo, tag, want)
		}
	}
}

func TestBuildArgs(t *testing.T) {
	one, two := "1", "2"
	got := buildArgs(types.MappingWithEquals{"A": &one, "B": &one}, map[string]*string{"B": &two, "C": &two})
	if *got["A"] != "1" || *got["B"] != "2" || *got["C"] != "2" || len(got) != 3 {
		t.Errorf("buildArgs = %v", got)
	}
}
