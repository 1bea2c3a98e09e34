package convert

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
)

// SlowHealthAbove is how long after its start a service's first health
// check may come before up warns: a service waiting for it to be healthy
// waits at least that long.
const SlowHealthAbove = 5 * time.Minute

// The engine's health check schedule defaults.
const (
	engineHealthInterval = 30 * time.Second
	engineStartInterval  = 5 * time.Second
)

// SlowHealth is a service whose health check first runs late.
type SlowHealth struct {
	Service    string
	Interval   time.Duration // its interval (the engine's default when unset)
	FirstCheck time.Duration // how long after start the engine runs the first check
	Dependents []string      // the services that wait for it to be healthy
}

// String words the warning, with what to set.
func (s SlowHealth) String() string {
	who := "a service waiting for it to be healthy waits"
	switch len(s.Dependents) {
	case 0:
	case 1:
		who = s.Dependents[0] + " waits"
	default:
		who = strings.Join(s.Dependents, ", ") + " wait"
	}
	return fmt.Sprintf("service %s: its health check runs every %s (interval), so %s %s for its first check; set healthcheck.start_period with a short start_interval, or a shorter interval",
		s.Service, s.Interval, who, s.FirstCheck)
}

// SlowHealthChecks lists the services whose first health check comes more
// than SlowHealthAbove after they start. Pure.
func SlowHealthChecks(p *types.Project) []SlowHealth {
	var out []SlowHealth
	for _, name := range p.ServiceNames() {
		h := p.Services[name].HealthCheck
		if h == nil || h.Disable {
			continue
		}
		hc := Health(h)
		interval := hc.Interval
		if interval <= 0 {
			interval = engineHealthInterval
		}
		first := interval
		if hc.StartPeriod > 0 {
			si := hc.StartInterval
			if si <= 0 {
				si = engineStartInterval
			}
			if si < hc.StartPeriod {
				first = si
			}
		}
		if first <= SlowHealthAbove {
			continue
		}
		out = append(out, SlowHealth{Service: name, Interval: interval, FirstCheck: first, Dependents: healthDependents(p, name)})
	}
	return out
}

func healthDependents(p *types.Project, dep string) []string {
	var out []string
	for name, s := range p.Services {
		if d, ok := s.DependsOn[dep]; ok && d.Condition == types.ServiceConditionHealthy {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
