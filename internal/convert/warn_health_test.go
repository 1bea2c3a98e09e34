package convert

import (
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
)

func TestSlowHealthChecks(t *testing.T) {
	dur := func(d time.Duration) *types.Duration { v := types.Duration(d); return &v }
	web := svc("web", func(s *types.ServiceConfig) {
		s.DependsOn = types.DependsOnConfig{"db": {Condition: types.ServiceConditionHealthy}}
	})
	for _, tc := range []struct {
		name string
		h    *types.HealthCheckConfig
		api  string // "": the newest
		want string
	}{
		{"no healthcheck", nil, "", ""},
		{"default interval", &types.HealthCheckConfig{Test: []string{"CMD", "true"}}, "", ""},
		{"5m is fine", &types.HealthCheckConfig{Interval: dur(5 * time.Minute)}, "", ""},
		{"1h", &types.HealthCheckConfig{Interval: dur(time.Hour)}, "",
			"service db: its health check runs every 1h0m0s (interval), so web waits 1h0m0s for its first check; set healthcheck.start_period with a short start_interval, or a shorter interval"},
		{"1h, start_interval in a start period", &types.HealthCheckConfig{Interval: dur(time.Hour), StartPeriod: dur(time.Minute), StartInterval: dur(2 * time.Second)}, "", ""},
		{"1h, start period shorter than the start interval", &types.HealthCheckConfig{Interval: dur(time.Hour), StartPeriod: dur(time.Second)}, "", "every 1h0m0s"},
		{"a 10m start_interval in a 1h start period", &types.HealthCheckConfig{Interval: dur(time.Minute), StartPeriod: dur(time.Hour), StartInterval: dur(10 * time.Minute)}, "",
			"service db: its health check runs every 10m0s (start_interval), so web waits 10m0s for its first check; set a shorter healthcheck.start_interval"},
		{"1h, start_interval in a start period, on an engine without start_interval", &types.HealthCheckConfig{Interval: dur(time.Hour), StartPeriod: dur(time.Minute), StartInterval: dur(2 * time.Second)}, "1.41",
			"service db: its health check runs every 1h0m0s (interval), so web waits 1h0m0s for its first check; set a shorter healthcheck.interval (a start_period with a short start_interval needs Engine API 1.44, this engine speaks 1.41)"},
		{"1h on API 1.44", &types.HealthCheckConfig{Interval: dur(time.Hour)}, "1.44", "set healthcheck.start_period with a short start_interval, or a shorter interval"},
		{"disabled", &types.HealthCheckConfig{Interval: dur(time.Hour), Disable: true}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := svc("db", func(s *types.ServiceConfig) { s.HealthCheck = tc.h })
			p := &types.Project{Services: types.Services{"db": db, "web": web}}
			got := SlowHealthChecks(p, tc.api)
			switch {
			case tc.want == "" && len(got) > 0:
				t.Fatalf("warned %v", got)
			case tc.want != "" && (len(got) != 1 || !strings.Contains(got[0].String(), tc.want)):
				t.Fatalf("got %v, want %q", got, tc.want)
			}
		})
	}
}
