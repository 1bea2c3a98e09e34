package doctor

import (
	"fmt"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/devstack/devstack/internal/convert"
)

// Project says whether the project loads, and how many services it has.
func Project(p *types.Project, err error) Result {
	if p == nil && err == nil {
		err = fmt.Errorf("no project")
	}
	if err != nil {
		return Result{Check: "project", Status: Fail, Detail: fmt.Sprintf("does not load: %v", err),
			Remedy: "fix the compose file (devstack config shows it as devstack reads it)"}
	}
	files := "no compose file"
	if len(p.ComposeFiles) > 0 {
		files = fmt.Sprint(p.ComposeFiles)
	}
	return ok("project", "%s loads from %s: %d services", p.Name, files, len(p.Services))
}

// Health warns about health checks that first run so late that a
// dependent waiting for them to be healthy waits for minutes.
func Health(p *types.Project) []Result {
	slow := convert.SlowHealthChecks(p)
	if len(slow) == 0 {
		return []Result{ok("health", "every health check runs within %s of its start", convert.SlowHealthAbove)}
	}
	var out []Result
	for _, s := range slow {
		who := "a service that waits for it to be healthy would wait"
		if len(s.Dependents) > 0 {
			who = strings.Join(s.Dependents, ", ") + " would wait"
		}
		out = append(out, Result{Check: "health", Status: Warn,
			Detail: fmt.Sprintf("service %s first checks its health %s after it starts (interval %s): %s that long", s.Service, s.FirstCheck, s.Interval, who),
			Remedy: fmt.Sprintf("set healthcheck.start_period and a short start_interval for %s, or a shorter interval", s.Service)})
	}
	return out
}
