package apply

import (
	"testing"

	"github.com/docker/docker/api/types/container"

	"github.com/devstack/devstack/internal/convert"
	"github.com/devstack/devstack/internal/plan"
)

func TestConditionMet(t *testing.T) {
	st := func(status string, running bool, code int, health string) container.InspectResponse {
		s := &container.State{Status: container.ContainerState(status), Running: running, ExitCode: code}
		if health != "" {
			s.Health = &container.Health{Status: container.HealthStatus(health)}
		}
		return container.InspectResponse{ContainerJSONBase: &container.ContainerJSONBase{State: s}}
	}
	restarting := st("restarting", true, 3, "")
	restarting.State.Restarting, restarting.RestartCount = true, 4
	restartingHealth := st("restarting", true, 3, "starting")
	restartingHealth.State.Restarting, restartingHealth.RestartCount = true, 4
	gaveUp, gaveUpHealth := st("exited", false, 3, ""), st("exited", false, 3, "starting")
	gaveUp.RestartCount, gaveUpHealth.RestartCount = 4, 4
	tests := []struct {
		name, cond string
		state      container.InspectResponse
		done       bool
		failPrefix string
	}{
		{"started: running", "service_started", st("running", true, 0, ""), true, ""},
		{"started: created", "service_started", st("created", false, 0, ""), false, ""},
		{"healthy: starting", "service_healthy", st("running", true, 0, "starting"), false, ""},
		{"healthy: healthy", "service_healthy", st("running", true, 0, "healthy"), true, ""},
		{"healthy: unhealthy", "service_healthy", st("running", true, 0, "unhealthy"), false, "is unhealthy"},
		{"healthy: no healthcheck", "service_healthy", st("running", true, 0, ""), false, "has no healthcheck"},
		{"healthy: exited", "service_healthy", st("exited", false, 2, "starting"), false, "exited with code 2"},
		{"completed: running", "service_completed_successfully", st("running", true, 0, ""), false, ""},
		{"completed: zero", "service_completed_successfully", st("exited", false, 0, ""), true, ""},
		{"completed: non-zero", "service_completed_successfully", st("exited", false, 3, ""), false, "exited with code 3"},
		{"running: exited", conditionRunning, st("exited", false, 1, ""), false, "exited with code 1"},
		{"running: running", conditionRunning, st("running", true, 0, ""), true, ""},
		{"running: crash loop waits", conditionRunning, restarting, false, ""},
		{"healthy: crash loop waits", "service_healthy", restartingHealth, false, ""},
		{"running: restarts given up", conditionRunning, gaveUp, false, "exited with code 3 after 4 restarts"},
		{"healthy: restarts given up", "service_healthy", gaveUpHealth, false, "exited with code 3 after 4 restarts before it was healthy"},
		{"started: crash loop started once", "service_started", restarting, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done, fail := conditionMet(tt.state, tt.cond)
			if done != tt.done || (tt.failPrefix == "") != (fail == "") || (tt.failPrefix != "" && fail[:len(tt.failPrefix)] != tt.failPrefix) {
				t.Errorf("got (%v, %q), want (%v, %q...)", done, fail, tt.done, tt.failPrefix)
			}
		})
	}
}

func TestLabelProjectRebuildsDependencies(t *testing.T) {
	cs := []plan.Container{
		{Service: "web", Labels: map[string]string{convert.LabelDependsOn: "db:service_healthy:false,gone:service_started:false"}},
		{Service: "db", Labels: map[string]string{convert.LabelDependsOn: ""}},
	}
	p := plan.ProjectFromLabels("demo", cs)
	if _, ok := p.Services["web"].DependsOn["db"]; !ok {
		t.Error("web should depend on db")
	}
	if _, ok := p.Services["web"].DependsOn["gone"]; ok {
		t.Error("a dependency without containers must be dropped")
	}
	eq(t, p.Services["web"].DependsOn["db"].Condition, "service_healthy")
}
