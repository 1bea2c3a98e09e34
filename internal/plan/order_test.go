package plan

import (
	"strings"
	"testing"

	"github.com/devstack/devstack/internal/convert"
)

// The graph rebuilt from labels keeps restart: true, and restarting a
// service brings along, transitively, what depends on it with restart:
// true, and nothing else.
func TestWithRestartDependents(t *testing.T) {
	labelled := func(service, dependsOn string) Container {
		return Container{Service: service, Labels: map[string]string{convert.LabelDependsOn: dependsOn}}
	}
	cs := []Container{
		labelled("db", ""),
		labelled("app", "db:service_healthy:true"),
		labelled("worker", "app:service_started:true,cache:service_started:false"),
		labelled("cache", ""),
		labelled("cron", "db:service_started:false"),
	}
	p := ProjectFromLabels("demo", cs)
	if !p.Services["app"].DependsOn["db"].Restart || p.Services["cron"].DependsOn["db"].Restart {
		t.Fatalf("restart flags not read from labels: %+v", p.Services)
	}
	tests := []struct {
		named []string
		want  string
	}{
		{[]string{"db"}, "db,app,worker"},
		{[]string{"app"}, "app,worker"},
		{[]string{"cache"}, "cache"},
		{[]string{"cron"}, "cron"},
		{[]string{"cache", "db"}, "cache,db,app,worker"},
	}
	for _, tt := range tests {
		got := strings.Join(WithRestartDependents(p, tt.named), ",")
		if got != tt.want {
			t.Errorf("restart %v: got %s, want %s", tt.named, got, tt.want)
		}
	}
}
