package containers

import (
	"reflect"
	"testing"

	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/convert"
)

func TestProjects(t *testing.T) {
	c := func(project, state, files string) container.Summary {
		labels := map[string]string{convert.LabelConfigFiles: files}
		if project != "" {
			labels[convert.LabelProject] = project
		}
		return container.Summary{State: state, Labels: labels}
	}
	for _, tc := range []struct {
		name string
		in   []container.Summary
		want []ProjectRow
	}{
		{"none", nil, []ProjectRow{}},
		{"counts per state, sorted", []container.Summary{
			c("shop", "running", "/a/compose.yaml"), c("blog", "exited", "/b/compose.yaml"),
			c("shop", "running", "/a/other.yaml"), c("shop", "exited", ""), c("blog", "running", ""),
			c("shop", "running", ""),
		}, []ProjectRow{
			{Name: "blog", Status: "exited(1), running(1)", ConfigFiles: "/b/compose.yaml"},
			{Name: "shop", Status: "exited(1), running(3)", ConfigFiles: "/a/compose.yaml"},
		}},
		{"files from the first container that has them", []container.Summary{
			c("x", "created", ""), c("x", "paused", "/x/compose.yaml,/x/override.yaml"),
		}, []ProjectRow{{Name: "x", Status: "created(1), paused(1)", ConfigFiles: "/x/compose.yaml,/x/override.yaml"}}},
		{"unlabelled containers are no project", []container.Summary{c("", "running", "")}, []ProjectRow{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Projects(tc.in); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Projects = %#v, want %#v", got, tc.want)
			}
		})
	}
}
