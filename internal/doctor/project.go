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
// dependent waiting for them to be healthy waits for minutes, on an
// engine of apiVersion ("": unknown, the newest).
func Health(p *types.Project, apiVersion string) []Result {
	slow := convert.SlowHealthChecks(p, apiVersion)
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
			Detail: fmt.Sprintf("service %s first checks its health %s after it starts (%s %s): %s that long", s.Service, s.FirstCheck, s.Key, s.FirstCheck, who),
			Remedy: fmt.Sprintf("for %s, %s", s.Service, s.Remedy())})
	}
	return out
}
