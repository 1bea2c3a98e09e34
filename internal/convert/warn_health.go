package convert

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docker/docker/api/types/container"
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

// The keys that set when a health check first runs.
const (
	KeyInterval      = "interval"
	KeyStartInterval = "start_interval"
)

// FirstHealthCheck is how long after a container starts the engine runs
// its health check for the first time, and the healthcheck key that sets
// that: in a start period, an engine of API 1.44 or later probes every
// start_interval (5s unless set); an older one knows no start_interval
// and probes every interval from the start. Pure.
func FirstHealthCheck(hc container.HealthConfig, apiVersion string) (time.Duration, string) {
	interval := hc.Interval
	if interval <= 0 {
		interval = engineHealthInterval
	}
	if hc.StartPeriod <= 0 || !apiAtLeast(apiVersion, apiStartInterval) {
		return interval, KeyInterval
	}
	si := hc.StartInterval
	if si <= 0 {
		si = engineStartInterval
	}
	if si < hc.StartPeriod {
		return si, KeyStartInterval
	}
	return interval, KeyInterval
}

// SlowHealth is a service whose health check first runs late.
type SlowHealth struct {
	Service    string
	FirstCheck time.Duration // how long after start the engine runs the first check
	Key        string        // what sets FirstCheck: KeyInterval or KeyStartInterval
	APIVersion string        // the engine's ("": the newest)
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
	return fmt.Sprintf("service %s: its health check runs every %s (%s), so %s %s for its first check; %s",
		s.Service, s.FirstCheck, s.Key, who, s.FirstCheck, s.Remedy())
}

// Remedy is what to set so that the first check comes sooner.
func (s SlowHealth) Remedy() string {
	switch {
	case s.Key == KeyStartInterval:
		return "set a shorter healthcheck.start_interval"
	case apiAtLeast(s.APIVersion, apiStartInterval):
		return "set healthcheck.start_period with a short start_interval, or a shorter interval"
	}
	return fmt.Sprintf("set a shorter healthcheck.interval (a start_period with a short start_interval needs Engine API %s, this engine speaks %s)", apiStartInterval, s.APIVersion)
}

// SlowHealthChecks lists the services whose first health check comes more
// than SlowHealthAbove after they start, on an engine of apiVersion
// ("": the newest). Pure.
func SlowHealthChecks(p *types.Project, apiVersion string) []SlowHealth {
	var out []SlowHealth
	for _, name := range p.ServiceNames() {
		h := p.Services[name].HealthCheck
		if h == nil || h.Disable {
			continue
		}
		hc := Health(h)
		first, key := FirstHealthCheck(*hc, apiVersion)
		if first <= SlowHealthAbove {
			continue
		}
		out = append(out, SlowHealth{Service: name, FirstCheck: first, Key: key,
			APIVersion: apiVersion, Dependents: healthDependents(p, name)})
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
